"""解約申込 (SPEC §2.6), for an office logged in with its 事業所コード (or the desk entering for it):
the whole contract or one 利用者コード, the 解約日 and the reason, on one screen; 「申込む」 saves the
screen and submits it (services.application save / submit, the same path as every kind), and it is
reviewed in the same queue. Opened from 申込実施."""
from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from services import clock
from services.application import read, save, submit
from services.authz import can_apply_as_office
from services.cancellation import request
from services.cancellation.sections import REASON_MAX, REQUEST, Scope
from services.errors import FieldError
from services.workflow import ApplicationStatus
from ui.feedback import error_text, flash, run_action, show_flash
from ui.flow_bar import flow_bar
from ui.format import fmt_date, plain
from ui.i18n import t
from ui.section_view import render_section, review_comment
from ui.session import require_actor
from ui.target import require_target_applicant

ERRORS_KEY = "cx_errors"

actor = require_actor()
st.title(t("cancellation.title"))
applicant_id = require_target_applicant(actor, "cancellation.no_target")
if not can_apply_as_office(actor, applicant_id):
    st.info(t("system_settings.error.office_only"), icon=":material/info:")
    st.stop()
show_flash()

choices = request.choices(actor, applicant_id)
if choices.contract_ends_on:
    st.warning(t("cancellation.contract_ending", date=fmt_date(choices.contract_ends_on)), icon=":material/event_busy:")
for code, day in choices.codes_ending.items():
    st.info(t("cancellation.code_ending", code=plain(code), date=fmt_date(day)), icon=":material/event_busy:")

if choices.open_application_id is None:
    st.caption(t("cancellation.lead"))
    clicked = choices.contract_ends_on is None and st.button(t("cancellation.start"), type="primary", key="cx_start")
    if clicked and run_action(lambda: request.start_cancellation(actor, applicant_id)) is not None:
        st.rerun()
    st.stop()

view = read.application_view(actor, choices.open_application_id)
section = view.section(REQUEST)
flow_bar(view.status)
if not view.editable:
    st.success(t("cancellation.submitted", ref_no=plain(view.ref_no or "")), icon=":material/task_alt:")
    render_section(section, show_status=False)
    st.stop()

if view.status == ApplicationStatus.RETURNED:
    st.warning(t("cancellation.returned"), icon=":material/rate_review:")
    for comment in section.comments:
        review_comment(comment.body, comment.author_name)
st.caption(t("cancellation.lead"))
errors: dict[str, FieldError] = st.session_state.setdefault(ERRORS_KEY, {}).setdefault(view.id, {})
stored = section.data
key = f"cx_{view.id}_{section.version}"


def field_error(name: str) -> None:
    err = errors.get(name) or errors.get(f"{REQUEST}.{name}")
    if err is not None:
        st.error(error_text(err), icon=":material/error:")


scopes = list(Scope)
scope = st.radio(t("wizard.field.cx_request.scope"), scopes, key=f"{key}_scope",
                 index=scopes.index(Scope(stored["scope"])) if stored.get("scope") in scopes else 0,
                 format_func=lambda v: t(f"cancellation.scope.{v}"))
st.caption(t(f"cancellation.scope_help.{scope}"))
field_error("scope")
code = ""
if scope == Scope.USER_CODE:
    options = list(choices.user_codes)
    if stored.get("user_code") and stored["user_code"] not in options:
        options.append(stored["user_code"])
    chosen = st.selectbox(t("wizard.field.cx_request.user_code"), options, key=f"{key}_code",
                          index=options.index(stored["user_code"]) if stored.get("user_code") in options else None,
                          placeholder=t("cancellation.choose_code"))
    code = chosen or ""
    field_error("user_code")
tomorrow = clock.today_jst() + timedelta(days=1)
try:
    stored_day: date | None = date.fromisoformat(str(stored.get("cancel_date") or ""))
except ValueError:
    stored_day = None
day = st.date_input(t("wizard.field.cx_request.cancel_date"), value=stored_day, min_value=min(tomorrow, stored_day or tomorrow),
                    max_value=max(clock.today_jst() + request.MAX_AHEAD, stored_day or tomorrow), format="YYYY/MM/DD",
                    key=f"{key}_date",
                    help=t("cancellation.date_help"))
field_error("cancel_date")
reason = st.text_input(t("wizard.field.cx_request.reason"), value=str(stored.get("reason") or ""),
                       max_chars=REASON_MAX, key=f"{key}_reason")
field_error("reason")

st.warning(t(f"cancellation.consequence.{scope}"), icon=":material/warning:")
if st.button(t("cancellation.submit"), type="primary", key="cx_submit"):
    typed = {"scope": scope, "user_code": code, "cancel_date": day.isoformat() if isinstance(day, date) else "",
             "reason": reason}
    refused: dict[str, FieldError] = {}
    saved = run_action(lambda: save.save_section(actor, view.id, REQUEST, typed, section.version), errors_into=refused)
    errors.clear()
    if saved is not None and not saved.errors:
        version = read.application_view(actor, view.id).version
        result = run_action(lambda: submit.submit_application(actor, view.id, version), errors_into=refused)
        if result is not None:
            flash(t("cancellation.done", ref_no=result.ref_no))
            st.rerun()
    errors.update(refused if saved is None or not saved.errors else saved.errors)
    if errors:  # each message next to its field; nothing is submitted
        st.rerun()
