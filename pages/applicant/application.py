"""新規の利用申込: start, the 詳細入力画面 one at a time with the side list, 一時保存, the
入力確認画面 and 「申込む」. Desk staff use the same page for the caller they act for."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from services.application import read, save, start, submit
from services.application.sections import REVIEW_SCREEN, context_of, get_section
from services.errors import DomainError, StaleData, ValidationFailed
from ui.auth_ui import current_authenticator, logout
from ui.flow_bar import flow_bar
from ui.i18n import t, t_error
from ui.section_form import section_form
from ui.section_list import section_list
from ui.section_view import field_label
from ui.session import require_actor
from ui.target import is_acting_for_caller, target_applicant_id
from ui.wizard_missing import describe_missing
from ui.wizard_panels import fee_panel, review_screen, system_diagram_panel

CURRENT, ERRORS, FLASH, CONFIRM_DRAFT, MISSING = (
    "wiz_current", "wiz_errors", "wiz_flash", "wiz_confirm_draft", "wiz_missing")
# The version of the screen (and of the application, on the 入力確認画面) this browser tab showed:
# saving against it is what lets a second tab's older save be refused instead of applied.
SHOWN = "wiz_shown_version"

actor = require_actor()
applicant_id = target_applicant_id(actor)
if applicant_id is None:
    st.info(t("wizard.no_target"))
    st.stop()

app_id = read.new_usage_id(actor, applicant_id)
if app_id is None:
    st.title(t("wizard.title"))
    st.write(t("wizard.start.lead"))
    st.caption(t("wizard.start.prepare"))
    shared = st.radio(t("wizard.start.kind"), [False, True], key="wiz_start_kind",
                      format_func=lambda v: t("wizard.start.shared" if v else "wizard.start.normal"))
    if st.button(t("wizard.start.button"), type="primary", key="wiz_start"):
        try:
            start.start_application(actor, applicant_id, shared)
        except DomainError as err:
            st.error(t_error(err))
        else:
            st.rerun()
    st.stop()

view = read.application_view(actor, app_id)
st.title(t("wizard.title_shared" if view.shared_use else "wizard.title"))
flow_bar(view.status)
# Messages go into fixed slots, so the widgets below keep their place from one run to the next.
with st.container():
    if flash := st.session_state.pop(FLASH, None):
        st.success(flash, icon=":material/check_circle:")

if not view.editable:
    if view.ref_no:
        st.success(t("wizard.msg.ref_no", ref_no=view.ref_no), icon=":material/task_alt:")
    if st.session_state.pop("wiz_just_submitted", False):
        st.write(t("wizard.msg.submitted_lead"))
    st.info(t("wizard.msg.read_only", status=t(f"wizard.flow.{view.status}")) + " " + t("wizard.msg.see_view"))
    st.stop()

if view.status == "RETURNED":
    st.warning(t("wizard.msg.returned"), icon=":material/rate_review:")
    for comment in view.general_comments:
        st.warning(t("wizard.msg.general_comment", body=comment.body))

applicable = [s.key for s in view.applicable()]
current = st.session_state.get(CURRENT)
if current not in applicable:
    current = applicable[0]
shown = st.session_state.setdefault(SHOWN, {}).setdefault(view.id, {})  # per application: desk switches callers
shown.setdefault(current, view.version if current == REVIEW_SCREEN else view.section(current).version)
section = replace(view.section(current), version=shown[current]) if current != REVIEW_SCREEN \
    else view.section(current)
definition = get_section(current)
ctx = context_of({s.key: s.data for s in view.sections}, view.shared_use)
errors = st.session_state.get(ERRORS, {}).get(current, {})


def go(key: str) -> None:
    st.session_state[CURRENT] = key
    st.session_state.pop(CONFIRM_DRAFT, None)
    st.session_state.pop(MISSING, None)
    shown.pop(key, None)  # a screen opened anew shows what is stored now
    shown.pop(current, None)
    st.rerun()


def refused_as_stale() -> None:
    """Another tab saved first: show the stored data and say so; nothing was overwritten."""
    shown.pop(current, None)
    st.session_state["wiz_stale"] = True
    st.rerun()


def save_now(values: dict, *, draft: bool = False) -> save.SaveResult | None:
    """Saves this screen; errors are kept for display next to the fields. None when refused."""
    try:
        fn = save.save_draft if draft else save.save_section
        result = fn(actor, view.id, current, values, section.version)
    except StaleData:
        st.session_state.setdefault(ERRORS, {}).pop(current, None)
        refused_as_stale()
    except DomainError as err:
        st.error(t_error(err), icon=":material/error:")
        return None
    if current == REVIEW_SCREEN:  # 一時保存 from the 入力確認画面 saves no screen of its own
        return result
    shown[current] = result.version
    st.session_state.setdefault(ERRORS, {})[current] = result.errors
    for name, (before, after) in result.changes.items():
        spec = next((f for f in definition.fields if f.name == name), None)
        if spec is not None:
            st.session_state.setdefault("wiz_converted", []).append(
                t("wizard.msg.converted", field=field_label(current, spec), before=before, after=after))
    st.session_state[FLASH] = t("wizard.msg.saved" if not result.errors else "wizard.msg.saved_partial")
    return result


main, side = st.columns([5, 3], gap="medium")
values: dict = {}
with main:
    st.header(t(section.label_key))
    with st.container():
        if st.session_state.pop("wiz_stale", False):
            st.error(t("wizard.error.stale"), icon=":material/sync_problem:")
        for note in st.session_state.pop("wiz_converted", []):
            st.info(note, icon=":material/auto_fix_high:")
    for comment in section.comments:
        st.warning(t("wizard.comment", body=comment.body, author=comment.author_name), icon=":material/rate_review:")
    if current == REVIEW_SCREEN:
        review_screen(actor, view, go)
        if missing := st.session_state.get(MISSING):
            st.error(t("wizard.msg.missing"), icon=":material/error:")
            for section_key, message in missing:
                line, fix = st.columns([5, 1])
                line.text(message)
                if fix.button(t("wizard.button.fix"), key=f"wiz_missing_fix_{section_key}_{message}"):
                    go(section_key)
        if st.button(t("wizard.button.submit"), type="primary", key="wiz_submit"):
            try:
                submit.submit_application(actor, view.id, shown[current])
            except ValidationFailed as err:
                st.session_state[MISSING] = describe_missing(err.errors)
                st.rerun()
            except StaleData:
                refused_as_stale()
            except DomainError as err:
                st.error(t_error(err))
            else:
                st.session_state.pop(MISSING, None)
                st.session_state["wiz_just_submitted"] = True
                st.rerun()
    else:
        values = section_form(section, ctx, errors)
        if current == "office" and values.get("connection_type") == "GENERAL":
            system_diagram_panel(actor, view)
        if current == "fee_plan":
            fee_panel(view, values.get("expected_monthly_usage"))

    position = applicable.index(current)
    back, save_col, nxt, draft = st.columns(4)
    if position > 0 and back.button(t("wizard.button.back"), key="wiz_back"):
        if current == REVIEW_SCREEN or save_now(values) is not None:
            go(applicable[position - 1])
    if current != REVIEW_SCREEN:
        if save_col.button(t("wizard.button.save"), key="wiz_save"):
            if save_now(values) is not None:
                st.rerun()
        if nxt.button(t("wizard.button.next"), type="primary", key="wiz_next"):
            result = save_now(values)
            if result is not None:
                go(applicable[position + 1]) if not result.errors else st.rerun()
    if section.offers_draft_save:
        if draft.button(t("wizard.button.draft_save"), key="wiz_draft"):
            st.session_state[CONFIRM_DRAFT] = True
    else:
        draft.caption(t("wizard.msg.draft_not_offered"))
    if st.session_state.get(CONFIRM_DRAFT):
        staff = is_acting_for_caller(actor)
        st.warning(t("wizard.msg.draft_warning_staff" if staff else "wizard.msg.draft_warning"),
                   icon=":material/warning:")
        ok, cancel = st.columns(2)
        if ok.button(t("wizard.button.draft_confirm"), type="primary", key="wiz_draft_confirm"):
            st.session_state.pop(CONFIRM_DRAFT, None)
            if save_now(values, draft=True) is not None:
                if staff:
                    st.session_state[FLASH] = t("wizard.msg.draft_saved_staff")
                else:
                    logout(current_authenticator(), actor)
                st.rerun()
        if cancel.button(t("wizard.button.draft_cancel"), key="wiz_draft_cancel"):
            st.session_state.pop(CONFIRM_DRAFT, None)
            st.rerun()

with side:
    clicked = section_list(view, current)
    if clicked and clicked != current:
        # Free movement keeps what was typed: the screen is saved before leaving it.
        if current == REVIEW_SCREEN or values == {k: section.data.get(k) for k in values} \
                or save_now(values) is not None:
            go(clicked)
