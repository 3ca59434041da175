"""The reviewer's action panel on the detail page: claim/assign/release, 承認, 差戻し, 却下 — exactly the
actions services.workflow.available_actions offers this reviewer on this application.

Every call passes the version the reviewer was shown; a StaleData refusal shows the message and a
reload button, and nothing of the action is saved.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from services.authz import Actor, ReviewAction
from services.deadlines import default_start_date, system_settings_deadline
from services.review import actions, queue
from services.review.detail import ApplicationDetail
from services.review.sections import SECTION_KEYS
from ui.feedback import flash, run_action
from ui.format import fmt_date
from ui.i18n import t

T = TypeVar("T")


def _done(message: str, shown_key: str) -> None:
    """Show `message` after the rerun, and take the new version as the one shown."""
    flash(message)
    st.session_state.pop(shown_key, None)
    st.rerun()


def _run(call: Callable[[], T], *, shown_key: str, current_version: int, key: str) -> T | None:
    """Run one service call; show its refusal right here (with a reload button when stale)."""
    def offer_reload() -> None:
        if st.button(t("review.reload"), key=f"rd_reload_{key}", icon=":material/refresh:"):
            st.session_state[shown_key] = current_version
            st.rerun()
    # On the review desk a stale application means another reviewer acted first: say so.
    return run_action(call, on_stale=offer_reload, stale_message_key="review.stale")


def _assignment(actor: Actor, d: ApplicationDetail, offered: tuple[ReviewAction, ...], version: int,
                shown_key: str) -> None:
    ctx = {"shown_key": shown_key, "current_version": d.version}
    c1, c2, c3 = st.columns([1, 1, 2], vertical_alignment="bottom")
    if (ReviewAction.CLAIM in offered
            and c1.button(t("review.actions.claim"), key="rd_claim", icon=":material/person_add:")
            and _run(lambda: actions.claim(actor, d.id, version) or True, key="claim", **ctx)):
        _done(t("review.actions.claimed"), shown_key)
    if (ReviewAction.RELEASE in offered
            and c2.button(t("review.actions.release"), key="rd_release", icon=":material/undo:")
            and _run(lambda: actions.release(actor, d.id, version) or True, key="release", **ctx)):
        _done(t("review.actions.released"), shown_key)
    if ReviewAction.ASSIGN not in offered:
        return
    reviewers = {r[0]: f"{r[2]}（{r[1]}）" for r in queue.list_reviewers(actor)}
    with c3:
        target = st.selectbox(t("review.actions.assign_to"), list(reviewers), format_func=reviewers.get,
                              key="rd_assign_to")
        if (st.button(t("review.actions.assign"), key="rd_assign") and target is not None
                and _run(lambda: actions.assign(actor, d.id, target, version) or True, key="assign", **ctx)):
            _done(t("review.actions.claimed"), shown_key)


def _approve_tab(actor: Actor, d: ApplicationDetail, version: int, shown_key: str) -> None:
    start = st.date_input(t("review.actions.start_date"), value=default_start_date(), key=f"rd_start_{d.id}",
                          help=t("review.actions.start_date_help"), format="YYYY/MM/DD")
    if start:
        st.caption(t("review.actions.settings_deadline", date=fmt_date(system_settings_deadline(start))))
    if st.button(t("review.actions.approve"), key="rd_approve", type="primary", icon=":material/verified:"):
        result = _run(lambda: actions.approve(actor, d.id, start, version), key="approve",
                      shown_key=shown_key, current_version=d.version)
        if result:
            _done(t("review.actions.approved", office_code=result.office_code), shown_key)


def _return_tab(actor: Actor, d: ApplicationDetail, version: int, shown_key: str) -> None:
    st.caption(t("review.actions.return_lead"))
    comments = {}
    for section in d.view.sections:
        if section.key not in SECTION_KEYS or not section.applies:
            continue
        label = t("review.actions.return_comment", section=t(section.label_key))
        comments[section.key] = st.text_area(label, key=f"rd_comment_{d.id}_{section.key}", height=80,
                                             max_chars=actions.MAX_TEXT)
    if (st.button(t("review.actions.return_submit"), key="rd_return", icon=":material/reply:")
            and _run(lambda: actions.return_for_correction(actor, d.id, comments, version) or True, key="return",
                     shown_key=shown_key, current_version=d.version)):
        _done(t("review.actions.returned"), shown_key)


def _reject_tab(actor: Actor, d: ApplicationDetail, version: int, shown_key: str) -> None:
    reason = st.text_area(t("review.actions.reject_reason"), key=f"rd_reason_{d.id}", max_chars=actions.MAX_TEXT)
    if (st.button(t("review.actions.reject_submit"), key="rd_reject", icon=":material/block:")
            and _run(lambda: actions.reject(actor, d.id, reason, version) or True, key="reject",
                     shown_key=shown_key, current_version=d.version)):
        _done(t("review.actions.rejected"), shown_key)


DECISION_TABS = ((ReviewAction.APPROVE, "review.actions.approve_tab", _approve_tab),
                 (ReviewAction.RETURN, "review.actions.return_tab", _return_tab),
                 (ReviewAction.REJECT, "review.actions.reject_tab", _reject_tab))


def action_panel(actor: Actor, d: ApplicationDetail, offered: tuple[ReviewAction, ...], version: int,
                 shown_key: str) -> None:
    """Draws the offered actions only (services.workflow.available_actions)."""
    _assignment(actor, d, offered, version, shown_key)
    decisions = [(label_key, draw) for action, label_key, draw in DECISION_TABS if action in offered]
    if not decisions:
        return
    for tab, (_, draw) in zip(st.tabs([t(label_key) for label_key, _ in decisions]), decisions, strict=True):
        with tab:
            draw(actor, d, version, shown_key)
