"""The reviewer's action panel on the detail page: claim/assign/release, 承認, 差戻し, 却下.

Every call passes the version the reviewer was shown; a StaleData refusal shows the message and a
reload button, and nothing of the action is saved.
"""
from __future__ import annotations

import streamlit as st

from services import clock
from services.authz import Actor
from services.calendar import add_business_days
from services.errors import DomainError, StaleData, ValidationFailed
from services.review import actions, queue
from services.deadlines import system_settings_deadline
from services.review.detail import ApplicationDetail
from services.review.sections import SECTION_KEYS
from ui.i18n import t, t_error
from ui.review_views import error_text, fmt_date

FLASH_KEY = "review_flash"


def flash(message: str, shown_key: str) -> None:
    """Show `message` after the rerun, and take the new version as the one shown."""
    st.session_state[FLASH_KEY] = message
    st.session_state.pop(shown_key, None)
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _stale(shown_key: str, current_version: int, key: str) -> None:
    st.error(t("review.stale"), icon=":material/sync_problem:")
    if st.button(t("review.reload"), key=f"rd_reload_{key}", icon=":material/refresh:"):
        st.session_state[shown_key] = current_version
        st.rerun()


def _run(call, *, shown_key: str, current_version: int, key: str, field: str | None = None):
    """Run one service call; show its refusal right here. Returns the result or None."""
    try:
        return call()
    except StaleData:
        _stale(shown_key, current_version, key)
    except ValidationFailed as err:
        for error in err.errors.values():
            st.error(t_error(error))
    except DomainError as err:
        st.error(error_text(err))
    return None


def _assignment(actor: Actor, d: ApplicationDetail, version: int, shown_key: str) -> None:
    ctx = {"shown_key": shown_key, "current_version": d.version}
    c1, c2, c3 = st.columns([1, 1, 2], vertical_alignment="bottom")
    if d.assignee_id != actor.user_id and c1.button(t("review.actions.claim"), key="rd_claim",
                                                    icon=":material/person_add:"):
        if _run(lambda: actions.claim(actor, d.id, version) or True, key="claim", **ctx):
            flash(t("review.actions.claimed"), shown_key)
    if d.status == "IN_REVIEW" and c2.button(t("review.actions.release"), key="rd_release",
                                             icon=":material/undo:"):
        if _run(lambda: actions.release(actor, d.id, version) or True, key="release", **ctx):
            flash(t("review.actions.released"), shown_key)
    reviewers = {r[0]: f"{r[2]}（{r[1]}）" for r in queue.list_reviewers(actor)}
    with c3:
        target = st.selectbox(t("review.actions.assign_to"), list(reviewers), format_func=reviewers.get,
                              key="rd_assign_to")
        if st.button(t("review.actions.assign"), key="rd_assign") and target is not None:
            if _run(lambda: actions.assign(actor, d.id, target, version) or True, key="assign", **ctx):
                flash(t("review.actions.claimed"), shown_key)


def _approve_tab(actor: Actor, d: ApplicationDetail, version: int, shown_key: str) -> None:
    default = add_business_days(clock.today_jst(), 10)
    start = st.date_input(t("review.actions.start_date"), value=default, key=f"rd_start_{d.id}",
                          help=t("review.actions.start_date_help"), format="YYYY/MM/DD")
    if start:
        st.caption(t("review.actions.settings_deadline", date=fmt_date(system_settings_deadline(start))))
    if st.button(t("review.actions.approve"), key="rd_approve", type="primary", icon=":material/verified:"):
        result = _run(lambda: actions.approve(actor, d.id, start, version), key="approve",
                      shown_key=shown_key, current_version=d.version)
        if result:
            flash(t("review.actions.approved", office_code=result.office_code), shown_key)


def _return_tab(actor: Actor, d: ApplicationDetail, version: int, shown_key: str) -> None:
    st.caption(t("review.actions.return_lead"))
    comments = {}
    for section in d.view.sections:
        if section.key not in SECTION_KEYS or not section.applies:
            continue
        label = t("review.actions.return_comment", section=t(section.label_key))
        comments[section.key] = st.text_area(label, key=f"rd_comment_{d.id}_{section.key}", height=80,
                                             max_chars=actions.MAX_TEXT)
    if st.button(t("review.actions.return_submit"), key="rd_return", icon=":material/reply:"):
        if _run(lambda: actions.return_for_correction(actor, d.id, comments, version) or True, key="return",
                shown_key=shown_key, current_version=d.version):
            flash(t("review.actions.returned"), shown_key)


def _reject_tab(actor: Actor, d: ApplicationDetail, version: int, shown_key: str) -> None:
    reason = st.text_area(t("review.actions.reject_reason"), key=f"rd_reason_{d.id}", max_chars=actions.MAX_TEXT)
    if st.button(t("review.actions.reject_submit"), key="rd_reject", icon=":material/block:"):
        if _run(lambda: actions.reject(actor, d.id, reason, version) or True, key="reject",
                shown_key=shown_key, current_version=d.version):
            flash(t("review.actions.rejected"), shown_key)


def action_panel(actor: Actor, d: ApplicationDetail, version: int, shown_key: str) -> None:
    _assignment(actor, d, version, shown_key)
    approve_tab, return_tab, reject_tab = st.tabs([t("review.actions.approve_tab"), t("review.actions.return_tab"),
                                                   t("review.actions.reject_tab")])
    with approve_tab:
        _approve_tab(actor, d, version, shown_key)
    with return_tab:
        _return_tab(actor, d, version, shown_key)
    with reject_tab:
        _reject_tab(actor, d, version, shown_key)
