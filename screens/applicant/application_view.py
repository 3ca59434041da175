"""申込内容確認: the 新規利用申込 read-only, with attachments to download under their original names;
then the office's 変更申込 (現在 → 変更後) and 解約申込 (scope, 解約日, reason), newest first."""
from __future__ import annotations

import streamlit as st

from services.application import read
from services.application.sections import REVIEW_SCREEN
from services.cancellation.sections import REQUEST
from services.change.read import change_summary
from services.later_procedures import later_procedures
from services.workflow import ApplicationKind
from ui.change_diff import diff_table
from ui.flow_bar import flow_bar
from ui.format import fmt_datetime, plain
from ui.i18n import t
from ui.labels import kind_label, status_label
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

later = later_procedures(actor, applicant_id)
if later:
    st.header(t("wizard.view.later_title"))
for procedure in later:
    with st.container(border=True):
        st.subheader(kind_label(procedure.kind))
        st.markdown(t("wizard.view.later_line", status=status_label(procedure.status),
                      ref_no=plain(procedure.ref_no or "—")))
        if procedure.submitted_at:
            st.caption(t("wizard.msg.submitted_at", at=fmt_datetime(procedure.submitted_at)))
        if procedure.kind == ApplicationKind.CHANGE:
            diff_table(change_summary(actor, procedure.application_id))
        else:
            request = read.application_view(actor, procedure.application_id).section(REQUEST)
            render_section(request, show_status=False)
