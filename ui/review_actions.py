"""The reviewer's action panel on the detail page: claim/assign/release, 承認, 差戻し, 却下 — exactly the
actions services.workflow.available_actions offers this reviewer on this application.

Every call passes the version the reviewer was shown; a StaleData refusal shows the message and a
reload button, and nothing of the action is saved.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import streamlit as st

from services.authz import Actor, ReviewAction
from services.deadlines import default_start_date, system_settings_deadline
from services.review import actions, queue
from services.review.detail import ApplicationDetail
from services.workflow import ApplicationKind
from ui.feedback import flash, run_action
from ui.format import fmt_date
from ui.i18n import t
from ui.review_figures import figures_changed
from ui.review_queue_filters import back_to_queue, open_detail

T = TypeVar("T")


def _done(message: str, shown_key: str) -> None:
    """Show `message` after the rerun, and take the new version as the one shown."""
    figures_changed()
    flash(message)
    st.session_state.pop(shown_key, None)
    st.rerun()


@dataclass(frozen=True)
class Onward:
    """Where 「…して次へ」 goes: the next item of the queue the detail was opened from."""
    next_item: Callable[[], int | None]   # asked before the decision (the decided item leaves the queue)
    queue: Mapping[str, str]              # that queue's URL parameters


@dataclass(frozen=True)
class _Context:
    """What the decision tabs need beyond the application: the comment boxes and the way on."""
    comments: dict[str, str]
    onward: Onward


def _done_and_next(message: str, shown_key: str, next_id: int | None, onward: Onward) -> None:
    """After a decision: open the next item of the same queue, or go back to it at its end."""
    figures_changed()
    st.session_state.pop(shown_key, None)
    if next_id is None:
        flash(f"{message}\n\n{t('review.work.queue_end')}")
        back_to_queue(onward.queue)
        return
    flash(f"{message}\n\n{t('review.work.next_opened')}")
    open_detail(next_id, onward.queue)


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
    # One row of buttons as wide as their labels (equal columns cut 「担当を外してキューに戻す」 off).
    row = st.container(horizontal=True, vertical_alignment="bottom")
    if (ReviewAction.CLAIM in offered
            and row.button(t("review.actions.claim"), key="rd_claim", icon=":material/person_add:")
            and _run(lambda: actions.claim(actor, d.id, version) or True, key="claim", **ctx)):
        _done(t("review.actions.claimed"), shown_key)
    if (ReviewAction.RELEASE in offered
            and row.button(t("review.actions.release"), key="rd_release", icon=":material/undo:")
            and _run(lambda: actions.release(actor, d.id, version) or True, key="release", **ctx)):
        _done(t("review.actions.released"), shown_key)
    if ReviewAction.ASSIGN not in offered:
        return
    reviewers = {r[0]: f"{r[2]}（{r[1]}）" for r in queue.list_reviewers(actor)}
    target = row.selectbox(t("review.actions.assign_to"), list(reviewers), format_func=reviewers.get,
                           key="rd_assign_to", width=260)
    if (row.button(t("review.actions.assign"), key="rd_assign") and target is not None
            and _run(lambda: actions.assign(actor, d.id, target, version) or True, key="assign", **ctx)):
        _done(t("review.actions.claimed"), shown_key)


def _decision_buttons(label_key: str, next_key: str, key: str, icon: str, *,
                      primary: bool = False) -> tuple[bool, bool]:
    """「承認する」 and 「承認して次へ」 side by side: (clicked, and go on to the next item)."""
    row = st.container(horizontal=True)
    kind = "primary" if primary else "secondary"
    alone = row.button(t(label_key), key=key, type=kind, icon=icon)
    onward = row.button(t(next_key), key=f"{key}_next", type=kind, icon=":material/skip_next:")
    return alone or onward, onward


def _approve_tab(actor: Actor, d: ApplicationDetail, version: int, shown_key: str, ctx: _Context) -> None:
    if d.kind == ApplicationKind.SYSTEM_SETTINGS:  # no 利用開始日: approval registers the settings (○)
        st.caption(t("system_settings.review.approve_lead", code=d.user_code or ""))
        _approve_buttons(actor, d, version, shown_key, ctx, None,
                         lambda r: t("system_settings.review.approved", code=r.user_code or ""))
        return
    if d.kind == ApplicationKind.CHANGE:  # no 利用開始日: the change takes effect on its month
        st.caption(t("change.review.approve_lead"))
        _approve_buttons(actor, d, version, shown_key, ctx, None,
                         lambda r: t("change.review.approved", month=fmt_date(r.start_date)[:7],
                                     user_ids="、".join(r.user_ids) or "—"))
        return
    if d.kind == ApplicationKind.CANCELLATION:  # no 利用開始日: the 解約日 is the office's
        st.caption(t("cancellation.review.approve_lead"))
        _approve_buttons(actor, d, version, shown_key, ctx, None,
                         lambda r: t("cancellation.review.approved", date=fmt_date(r.cancel_date)))
        return
    start = st.date_input(t("review.actions.start_date"), value=default_start_date(), key=f"rd_start_{d.id}",
                          help=t("review.actions.start_date_help"), format="YYYY/MM/DD")
    if start:
        st.caption(t("review.actions.settings_deadline", date=fmt_date(system_settings_deadline(start))))
    _approve_buttons(actor, d, version, shown_key, ctx, start,
                     lambda r: t("review.actions.approved", office_code=r.office_code))


def _approve_buttons(actor: Actor, d: ApplicationDetail, version: int, shown_key: str, ctx: _Context,
                     start: date | None, done_message: Callable[[actions.ApprovalResult], str]) -> None:
    """「承認する」 / 「承認して次へ」 and the approval, with the 利用開始日 `start` (None for the kinds
    that have none); `done_message` says what the approval did."""
    clicked, onward = _decision_buttons("review.actions.approve", "review.work.approve_next", "rd_approve",
                                        ":material/verified:", primary=True)
    if not clicked:
        return
    next_id = ctx.onward.next_item() if onward else None
    result = _run(lambda: actions.approve(actor, d.id, start, version), key="approve",
                  shown_key=shown_key, current_version=d.version)
    if result:
        message = done_message(result)
        if onward:
            _done_and_next(message, shown_key, next_id, ctx.onward)
        _done(message, shown_key)


def _return_tab(actor: Actor, d: ApplicationDetail, version: int, shown_key: str, ctx: _Context) -> None:
    st.caption(t("review.actions.return_lead"))
    written = sum(1 for v in ctx.comments.values() if (v or "").strip())
    st.caption(t("review.work.comments_entered", count=written))
    clicked, onward = _decision_buttons("review.actions.return_submit", "review.work.return_next", "rd_return",
                                        ":material/reply:")
    if clicked:
        next_id = ctx.onward.next_item() if onward else None
        if _run(lambda: actions.return_for_correction(actor, d.id, ctx.comments, version) or True, key="return",
                shown_key=shown_key, current_version=d.version):
            if onward:
                _done_and_next(t("review.actions.returned"), shown_key, next_id, ctx.onward)
            _done(t("review.actions.returned"), shown_key)


def _reject_tab(actor: Actor, d: ApplicationDetail, version: int, shown_key: str, ctx: _Context) -> None:
    reason = st.text_area(t("review.actions.reject_reason"), key=f"rd_reason_{d.id}", max_chars=actions.MAX_TEXT)
    if (st.button(t("review.actions.reject_submit"), key="rd_reject", icon=":material/block:")
            and _run(lambda: actions.reject(actor, d.id, reason, version) or True, key="reject",
                     shown_key=shown_key, current_version=d.version)):
        _done(t("review.actions.rejected"), shown_key)


DECISION_TABS = ((ReviewAction.APPROVE, "review.actions.approve_tab", _approve_tab),
                 (ReviewAction.RETURN, "review.actions.return_tab", _return_tab),
                 (ReviewAction.REJECT, "review.actions.reject_tab", _reject_tab))


def action_panel(actor: Actor, d: ApplicationDetail, offered: tuple[ReviewAction, ...], version: int,
                 shown_key: str, *, comments: dict[str, str], next_item: Callable[[], int | None],
                 queue: Mapping[str, str]) -> None:
    """Draws the offered actions only (services.workflow.available_actions). `comments`: the boxes
    beside each screen (ui.review_sections); `next_item` / `queue`: where 「…して次へ」 goes."""
    _assignment(actor, d, offered, version, shown_key)
    decisions = [(label_key, draw) for action, label_key, draw in DECISION_TABS if action in offered]
    if not decisions:
        return
    ctx = _Context(comments, Onward(next_item, queue))
    for tab, (_, draw) in zip(st.tabs([t(label_key) for label_key, _ in decisions]), decisions, strict=True):
        with tab:
            draw(actor, d, version, shown_key, ctx)
