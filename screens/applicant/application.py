"""新規の利用申込: start, the 詳細入力画面 one at a time with the side list, 一時保存, the
入力確認画面 and 「申込む」. Desk staff use the same page for the caller they act for."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from services.application import read, save, start, submit
from services.application.connection import requires_system_diagram
from services.application.navigator import WizardNavigator, WizardState
from services.application.sections import FEE_PLAN, OFFICE, context_of, get_section
from services.desk import duplicates
from services.workflow import ApplicationStatus
from ui.auth_ui import current_authenticator, logout
from ui.feedback import flash, run_action, show_flash
from ui.flow_bar import flow_bar
from ui.format import plain
from ui.i18n import t
from ui.labels import status_label
from ui.review_figures import figures_changed
from ui.routing_help import routing_help_note
from ui.section_form import keep_widget_keys, section_form
from ui.section_list import section_list
from ui.section_view import review_comment
from ui.session import require_actor
from ui.target import is_acting_for_caller, target_applicant_id
from ui.wizard_missing import describe_missing
from ui.wizard_panels import fee_panel, review_screen, system_diagram_panel

CONVERTED_KEY = "wiz_converted"  # {screen: {field: note}}: what normalising changed, shown once

# The open screen, and per application the rest of the navigator's state (services.application.navigator).
CURRENT, NAVIGATION = "wiz_current", "wiz_navigation"
STARTED_KEY = "wiz_started_ids"  # {applicant id: its 新規利用申込's id}

actor = require_actor()
applicant_id = target_applicant_id(actor)
if applicant_id is None:
    st.info(t("wizard.no_target"))
    st.stop()

# An applicant's 新規利用申込 never changes once started: found once per session (per caller, for
# the desk). application_view below checks the actor's access on every run.
started_ids = st.session_state.setdefault(STARTED_KEY, {})
app_id = started_ids.get(applicant_id) or read.new_usage_id(actor, applicant_id)
if app_id is None:
    st.title(t("wizard.title"))
    st.write(t("wizard.start.lead"))
    st.caption(t("wizard.start.prepare"))
    shared = st.radio(t("wizard.start.kind"), [False, True], key="wiz_start_kind",
                      format_func=lambda v: t("wizard.start.shared" if v else "wizard.start.normal"))
    if (st.button(t("wizard.start.button"), type="primary", key="wiz_start")
            and run_action(lambda: start.start_application(actor, applicant_id, shared)) is not None):
        st.rerun()
    st.stop()

started_ids[applicant_id] = app_id
view = read.application_view(actor, app_id)
st.title(t("wizard.title_shared" if view.shared_use else "wizard.title"))
flow_bar(view.status)
# Messages go into fixed slots, so the widgets below keep their place from one run to the next.
# A 「保存」 that needs no redraw puts its message here in the same run (see `saved_as_drawn`).
message_slot = st.empty()
with message_slot.container():
    show_flash()

if not view.editable:
    just_submitted = st.session_state.pop("wiz_just_submitted", False)
    if view.ref_no:  # right after 「申込む」 it says in words that the application was received
        st.success(t("wizard.msg.submitted" if just_submitted else "wizard.msg.ref_no", ref_no=view.ref_no),
                   icon=":material/task_alt:")
    if just_submitted:
        st.write(t("wizard.msg.submitted_lead"))
    read_only = t("wizard.msg.read_only", status=status_label(view.status))
    # The 申込内容確認 page is in the applicant's menu only: no pointer to it for desk staff.
    st.info(read_only if is_acting_for_caller(actor) else read_only + " " + t("wizard.msg.see_view"))
    st.stop()

if view.status == ApplicationStatus.RETURNED:
    st.warning(t("wizard.msg.returned"), icon=":material/rate_review:")
    for comment in view.general_comments:
        st.warning(t("wizard.msg.general_comment", body=plain(comment.body)))

# Per application: the desk switches callers.
saved_state = st.session_state.setdefault(NAVIGATION, {}).get(view.id) or WizardState()
nav = WizardNavigator(view, replace(saved_state, current=st.session_state.get(CURRENT)))


def store() -> None:
    st.session_state[CURRENT] = nav.current
    st.session_state[NAVIGATION][view.id] = nav.state()


store()
section = nav.section
definition = get_section(nav.current)
view_data = {s.key: s.data for s in view.sections}
ctx = context_of(view_data, view.shared_use)
saved_as_drawn = [False]  # set by save_now: the screen drawn in this run is the saved one


def go(key: str) -> None:
    nav.go(key)
    store()
    st.rerun()


def refused_as_stale() -> None:
    """Another tab saved first: show the stored data and say so; nothing was overwritten."""
    nav.refused_as_stale()
    store()
    st.session_state["wiz_stale"] = True
    st.rerun()


def save_now(values: dict, *, draft: bool = False) -> save.SaveResult | None:
    """Saves this screen; errors are kept for display next to the fields. None when refused."""
    fn = save.save_draft if draft else save.save_section
    refused: dict = {}
    result = run_action(lambda: fn(actor, view.id, nav.current, values, nav.expected_version),
                        errors_into=refused, on_stale=refused_as_stale)
    if result is None:
        if refused:  # a value beyond its hard cap or with unusable characters: nothing was saved
            nav.errors[nav.current] = dict(refused)
            store()
            st.rerun()
        return None
    drawn_errors = nav.current_errors
    if not nav.on_review_screen:  # a value typed before the next run draws the screen is kept
        kept = keep_widget_keys(section, values, result.version, result.data)
        # This run's screen shows the saved version as it is: same widget keys, the same field
        # errors next to the fields, and the same choices shaping the screens (接続形態, 処理方式).
        saved_as_drawn[0] = (kept and dict(result.errors) == drawn_errors
                             and context_of({**view_data, result.section_key: result.data}, view.shared_use) == ctx)
    nav.saved(result)
    store()
    if nav.on_review_screen:  # 一時保存 from the 入力確認画面 saves no screen of its own
        return result
    # Each note is drawn under its own field, on its own screen, the next time that screen is drawn.
    notes = st.session_state.setdefault(CONVERTED_KEY, {})
    notes[result.section_key] = {
        name: t("wizard.msg.converted", before=plain(before), after=plain(after)) for name, (before, after) in result.changes.items()}
    flash(t("wizard.msg.saved" if not result.errors else "wizard.msg.saved_partial"))
    return result


main, side = st.columns([5, 3], gap="medium")
values: dict = {}
with main:
    st.header(t(section.label_key))
    with st.container():
        if st.session_state.pop("wiz_stale", False):
            st.error(t("wizard.error.stale"), icon=":material/sync_problem:")
    for comment in section.comments:
        review_comment(comment.body, comment.author_name)
    if nav.on_review_screen:
        routing_help_note(duplicates.routing_help(actor, view.id))  # an office with this 法人番号 / address
        review_screen(actor, view, go)
        if nav.missing:
            st.error(t("wizard.msg.missing"), icon=":material/error:")
            for section_key, message in describe_missing(nav.missing):
                line, fix = st.columns([5, 1])
                line.text(message)
                if fix.button(t("wizard.button.fix"), key=f"wiz_missing_fix_{section_key}_{message}"):
                    go(section_key)
        if st.button(t("wizard.button.submit"), type="primary", key="wiz_submit"):
            missing: dict = {}
            submitted = run_action(lambda: submit.submit_application(actor, view.id, nav.expected_version),
                                   errors_into=missing, on_stale=refused_as_stale)
            if submitted is not None:
                figures_changed()  # the reviewers' figures count it at once
                nav.submitted()
                st.session_state["wiz_just_submitted"] = True
            elif missing:
                nav.submit_refused(missing)
            if submitted is not None or missing:
                store()
                st.rerun()
    else:
        values = section_form(section, ctx, nav.current_errors,
                              notes=st.session_state.get(CONVERTED_KEY, {}).pop(section.key, {}))
        if nav.current == OFFICE and requires_system_diagram(values.get("connection_type")):
            system_diagram_panel(actor, view)
        if nav.current == FEE_PLAN:
            fee_panel(view, values.get("expected_monthly_usage"))

    back, save_col, nxt, draft = st.columns(4)
    if (nav.previous is not None and back.button(t("wizard.button.back"), key="wiz_back")
            and (not nav.back_saves or save_now(values) is not None)):
        go(nav.previous)
    if not nav.on_review_screen:
        if save_col.button(t("wizard.button.save"), key="wiz_save") and save_now(values) is not None:
            if not saved_as_drawn[0]:  # a value normalised, other field errors or choices: redraw
                st.rerun()
            # One run per save: the widgets above already show what was stored, so the message
            # goes into its slot now and the side list below is drawn from the saved state.
            with message_slot.container():
                show_flash()
            view = read.application_view(actor, app_id)
        if nxt.button(t("wizard.button.next"), type="primary", key="wiz_next"):
            result = save_now(values)
            if result is not None:
                target = nav.after_next(result)
                go(target) if target is not None else st.rerun()
    if section.offers_draft_save:
        if draft.button(t("wizard.button.draft_save"), key="wiz_draft"):
            nav.confirm_draft = True
            store()
    else:
        draft.caption(t("wizard.msg.draft_not_offered"))
    if nav.confirm_draft:
        staff = is_acting_for_caller(actor)
        st.warning(t("wizard.msg.draft_warning_staff" if staff else "wizard.msg.draft_warning"),
                   icon=":material/warning:")
        ok, cancel = st.columns(2)
        if ok.button(t("wizard.button.draft_confirm_staff" if staff else "wizard.button.draft_confirm"),
                     type="primary", key="wiz_draft_confirm"):
            nav.confirm_draft = False
            store()
            if save_now(values, draft=True) is not None:
                if staff:
                    flash(t("wizard.msg.draft_saved_staff"))
                else:  # the login page says it was saved (the flash outlives the logout)
                    flash(t("wizard.msg.draft_saved_logged_out"))
                    logout(current_authenticator(), actor)
                st.rerun()
        if cancel.button(t("wizard.button.draft_cancel"), key="wiz_draft_cancel"):
            nav.confirm_draft = False
            store()
            st.rerun()

with side:
    clicked = section_list(view, nav.current)
    # Free movement keeps what was typed: the screen is saved before leaving it.
    if clicked and clicked != nav.current and (not nav.jump_saves(values) or save_now(values) is not None):
        go(clicked)
