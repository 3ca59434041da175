"""Parts of the wizard page beyond the generic form: the システム構成図 uploader, the 料金プラン
comparison, and the 入力確認画面. Shared by the applicant and the desk (same page)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from config import settings
from services.application import attachments, fees
from services.application.connection import requires_system_diagram
from services.application.filetypes import ALLOWED_EXTENSIONS
from services.application.read import ApplicationView
from services.application.sections import MAILBOX, OFFICE, REVIEW_SCREEN
from services.authz import Actor
from services.billing import schedule as fee_schedule
from ui.feedback import flash, run_action
from ui.format import plain
from ui.i18n import t
from ui.section_view import render_section

UPLOAD_COUNTER = "wiz_upload_counter"


def system_diagram_panel(actor: Actor, view: ApplicationView, *, editable: bool = True) -> None:
    """「参照」 picks a file, 「システム構成図を添付する」 adds it to the list below (SPEC §2.2)."""
    st.markdown(f"**{t('wizard.field.office.system_diagram')}**")
    st.caption(t("wizard.msg.diagram_lead", limit_mb=settings().upload_limit_mb) + " "
               + t("wizard.msg.diagram_name_note"))
    if editable:
        counter = st.session_state.setdefault(UPLOAD_COUNTER, 0)
        upload = st.file_uploader(t("wizard.field.office.system_diagram"), type=list(ALLOWED_EXTENSIONS),
                                  key=f"wiz_upload_{counter}", label_visibility="collapsed")
        if st.button(t("wizard.button.attach"), key="wiz_attach", disabled=upload is None):
            info = run_action(lambda: attachments.add_attachment(actor, view.id, upload.name, upload.getvalue()))
            if info is not None:
                st.session_state[UPLOAD_COUNTER] = counter + 1
                flash(t("wizard.msg.attachment_added", name=plain(info.file_name)))
                st.rerun()
    attachment_list(actor, view, removable=editable)


def attachment_list(actor: Actor, view: ApplicationView, *, removable: bool = False) -> None:
    if not view.attachments:
        st.caption(t("wizard.msg.no_attachments"))
        return
    for a in view.attachments:
        name_col, size_col, action_col = st.columns([5, 1, 2])
        name_col.text(a.file_name)  # plain text: the name exactly as uploaded
        size_col.caption(t("wizard.msg.size_kb", size=max(1, round(a.size / 1024))))
        if removable:
            if (action_col.button(t("wizard.button.remove_file"), key=f"wiz_remove_{a.id}")
                    and run_action(lambda a=a: _remove(actor, a.id))):
                st.rerun()
        else:
            download = attachments.download_attachment(actor, a.id)
            action_col.download_button(t("wizard.button.download"), download.content, file_name=download.file_name,
                                       mime=download.content_type, key=f"wiz_download_{a.id}")


def _remove(actor: Actor, attachment_id: int) -> bool:
    attachments.remove_attachment(actor, attachment_id)
    return True


def fee_panel(view: ApplicationView, usage: Any) -> None:
    """The A/B comparison for the usage typed just now and the terminals/mailboxes saved so far."""
    st.caption(t("wizard.msg.fee_lead"))
    sections = {s.key: s.data for s in view.sections}
    try:
        usage_value = int(str(usage or "0").replace(",", ""))
    except ValueError:
        usage_value = 0
    estimate = fees.estimate_from_sections(sections, usage_value, mailbox_applies=view.section(MAILBOX).applies,
                                           schedule=fee_schedule.in_force())
    a, b = st.columns(2)
    a.metric(t("wizard.option.plan.A"), f"¥{estimate.plan_a:,}")
    b.metric(t("wizard.option.plan.B"), f"¥{estimate.plan_b:,}")
    st.caption(t("wizard.msg.fee_estimate", plan_a=f"{estimate.plan_a:,}", plan_b=f"{estimate.plan_b:,}",
                 units=estimate.units, options=f"{estimate.options:,}"))
    if estimate.cheaper:
        st.success(t("wizard.msg.fee_cheaper", plan=estimate.cheaper), icon=":material/savings:")
    else:
        st.info(t("wizard.msg.fee_equal"))
    if estimate.units and estimate.break_even_usage is not None:
        st.caption(t("wizard.msg.fee_break_even", amount=f"{estimate.break_even_usage:,}"))


def review_screen(actor: Actor, view: ApplicationView, on_fix: Callable[[str], None]) -> None:
    """入力確認画面: every screen read-only with 「修正する」."""
    st.info(t("wizard.msg.review_lead"))
    for section in view.applicable():
        if section.key == REVIEW_SCREEN:
            continue
        head, button = st.columns([4, 1])
        head.subheader(t(section.label_key))
        if button.button(t("wizard.button.fix"), key=f"wiz_fix_{section.key}"):
            on_fix(section.key)
        render_section(section, connection_type=view.connection_type)
        if section.key == OFFICE and requires_system_diagram(view.connection_type):
            st.markdown(f"**{t('wizard.field.office.system_diagram')}**")
            attachment_list(actor, view)
