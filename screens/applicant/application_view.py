"""申込内容確認: the 新規利用申込 read-only, with attachments to download under their original names."""
from __future__ import annotations

import streamlit as st

from services.application import read
from services.application.sections import REVIEW_SCREEN
from ui.flow_bar import flow_bar
from ui.format import fmt_datetime
from ui.i18n import t
from ui.page_header import registered_data_notice
from ui.section_view import render_section
from ui.session import require_actor
from ui.target import target_applicant_id
from ui.user_ids import show_user_ids
from ui.wizard_panels import attachment_list

actor = require_actor()
st.title(t("wizard.view_title"))
registered_data_notice()
applicant_id = target_applicant_id(actor)
app_id = read.new_usage_id(actor, applicant_id) if applicant_id is not None else None
if app_id is None:
    st.info(t("wizard.msg.not_started"))
    st.stop()

view = read.application_view(actor, app_id)
flow_bar(view.status)
if view.ref_no:
    st.write(t("wizard.msg.ref_no", ref_no=view.ref_no))
if view.submitted_at:
    st.caption(t("wizard.msg.submitted_at", at=fmt_datetime(view.submitted_at)))
show_user_ids(actor, applicant_id, app_id)
for section in view.applicable():
    if section.key == REVIEW_SCREEN:
        continue
    st.subheader(t(section.label_key))
    render_section(section, connection_type=view.connection_type)
st.subheader(t("wizard.msg.attachments"))
attachment_list(actor, view)
