"""変更申込 (SPEC §2.6), for an office logged in with its 事業所コード: 1 choose what to change and the
effective month, 2 the chosen parts' screens (the new usage application's own screens, prefilled
from the contract), 3 confirm 現在 → 変更後 and submit, 4 waiting for review / decided. Saved, checked
and reviewed through the application machinery (services.application.forms.CHANGE)."""
from __future__ import annotations

from typing import Any

import streamlit as st

from services import clock
from services.application import read
from services.application.sections import OFFICE, REVIEW_SCREEN
from services.authz import can_apply_as_office
from services.change.parts import PART_KEYS, month_choices
from services.change.read import adds_general, change_summary, resume_screen
from services.change.start import open_change, start_change
from services.errors import FieldError
from services.workflow import ApplicationStatus
from ui.change_diff import diff_table
from ui.draft_save import draft_save
from ui.feedback import error_text, flash, run_action, show_flash
from ui.flow_bar import flow_bar
from ui.format import plain
from ui.i18n import t
from ui.section_form import section_form
from ui.section_list import status_markdown
from ui.section_saves import save_changed
from ui.section_view import review_comment, status_label
from ui.session import require_actor
from ui.submit_step import missing_and_submit
from ui.target import require_target_applicant
from ui.wizard_panels import system_diagram_panel

STEP_KEY, ERRORS_KEY, START_ERRORS = "chg_step", "chg_errors", "chg_start_errors"
CONVERTED_KEY = "chg_converted"
OPENED_KEY = "chg_opened"  # {application id: the screen its tabs opened on in this session}

actor = require_actor()
st.title(t("change.title"))
applicant_id = require_target_applicant(actor, "change.no_target")
if not can_apply_as_office(actor, applicant_id):
    st.info(t("change.error.office_only"), icon=":material/info:")
    st.stop()
show_flash()


def field_error(errors: dict[str, FieldError], key: str) -> None:
    if key in errors:
        st.error(error_text(errors[key]), icon=":material/error:")  # Markdown: typed values escaped


current = open_change(actor, applicant_id)
if current is None:
    st.caption(t("change.lead"))
    start_errors: dict[str, FieldError] = st.session_state.setdefault(START_ERRORS, {})
    st.markdown(f"**{t('change.field.parts')}**")
    parts = [key for key in PART_KEYS if st.checkbox(t(f"change.part.{key}"), key=f"chg_part_{key}")]
    field_error(start_errors, "parts")
    month = st.selectbox(t("change.field.effective_month"), month_choices(clock.today_jst()), key="chg_month")
    field_error(start_errors, "effective_month")
    if st.button(t("change.button.start"), type="primary", key="chg_start"):
        refused: dict[str, FieldError] = {}
        run_action(lambda: start_change(actor, applicant_id, parts, month), errors_into=refused)
        st.session_state[START_ERRORS] = refused
        st.rerun()
    st.stop()

view = read.application_view(actor, current.application_id)
steps = st.session_state.setdefault(STEP_KEY, {})
errors: dict[str, dict[str, FieldError]] = st.session_state.setdefault(ERRORS_KEY, {}).setdefault(view.id, {})
step = steps.get(view.id, 1) if view.editable else 3
flow_bar(view.status)


def go(to: int) -> None:
    steps[view.id] = to
    st.rerun()


if step == 1:
    st.header(t("change.step.edit"))
    if view.status == ApplicationStatus.RETURNED:
        st.warning(t("change.msg.returned"), icon=":material/rate_review:")
        for comment in view.general_comments:
            st.warning(t("wizard.msg.general_comment", body=plain(comment.body)))
    st.caption(t("change.msg.edit_lead"))
    screens = [s for s in view.sections if s.key != REVIEW_SCREEN]
    values: dict[str, dict[str, Any]] = {}
    converted = st.session_state.setdefault(CONVERTED_KEY, {})
    # Opened once per session on the screen in progress (back after 一時保存); then left as clicked.
    opened = st.session_state.setdefault(OPENED_KEY, {}).setdefault(view.id, resume_screen(view))
    labels = {s.key: f"{t(s.label_key)}（{status_label(s)}）" for s in screens}
    for tab, section in zip(st.tabs(list(labels.values()), default=labels.get(opened)), screens, strict=True):
        with tab:
            st.markdown(status_markdown(section))
            for comment in section.comments:
                review_comment(comment.body, comment.author_name)
            values[section.key] = section_form(section, view.context, errors.get(section.key, {}),
                                               notes=converted.pop(section.key, {}))
            if section.key == OFFICE and adds_general(change_summary(actor, view.id).contracted_connection,
                                                      values[OFFICE].get("connection_type")):
                system_diagram_panel(actor, view)  # 一般 NACCS added: its システム構成図 (SPEC §2.3)
            if st.button(t("wizard.button.save"), key=f"chg_save_{section.key}"):
                if save_changed(actor, view, {section.key: values[section.key]}, errors, converted)[0]:
                    flash(t("wizard.msg.saved"))
                st.rerun()
    to_confirm, later = st.columns(2)
    if to_confirm.button(t("change.button.to_confirm"), type="primary", key="chg_to_confirm"):
        if save_changed(actor, view, values, errors, converted)[0]:
            go(2)
        st.rerun()
    # The screen typed in is the one recorded as 一時保存 (and opened again on resume).
    typed_in = next((key for key, typed in values.items()
                     if typed != {k: view.section(key).data.get(k) for k in typed}), opened or screens[0].key)
    draft_save(actor, "chg", "change.msg.draft_warning", later, "chg_draft",
               lambda: save_changed(actor, view, values, errors, converted, draft_key=typed_in)[1])

elif step == 2:
    st.header(t("change.step.confirm"))
    st.info(t("change.msg.confirm_lead"))
    diff_table(change_summary(actor, view.id))
    missing_and_submit(actor, view, "chg", go, back_to=1, done_at=3)

else:
    st.header(t("change.step.done"))
    if st.session_state.pop("chg_just_submitted", None):
        st.success(t("change.msg.submitted", ref_no=plain(view.ref_no)), icon=":material/task_alt:")
    elif view.ref_no:
        st.info(t("change.msg.waiting", ref_no=plain(view.ref_no)), icon=":material/hourglass_top:")
    diff_table(change_summary(actor, view.id))
