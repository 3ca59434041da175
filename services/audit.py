"""Audit events, written in the same transaction as the change they record."""
from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from db.models import AuditEvent
from services import clock
from services.authz import Actor, on_behalf_of


class AuditAction(StrEnum):
    """Every action the services record. The label of each is `audit.<value>` in the locales."""
    AUTH_LOGIN = "auth.login"
    AUTH_LOGOUT = "auth.logout"
    AUTH_DEMO_LOGIN = "auth.demo_login"
    AUTH_PASSWORD_CHANGED = "auth.password_changed"
    AUTH_PASSWORD_REISSUED = "auth.password_reissued"
    USER_CREATED = "user.created"
    USER_CREATED_BY_CLI = "user.created_by_cli"
    USER_ROLES_CHANGED = "user.roles_changed"
    USER_ACTIVATED = "user.activated"
    USER_DEACTIVATED = "user.deactivated"
    USER_PASSWORD_REISSUED = "user.password_reissued"
    USER_UNLOCKED = "user.unlocked"
    TEMP_ACCOUNT_ISSUED = "temp_account.issued"
    APPLICATION_START = "application.start"
    APPLICATION_SECTION_SAVED = "application.section_saved"
    APPLICATION_SAVE_DRAFT = "application.save_draft"
    APPLICATION_SUBMIT = "application.submit"
    APPLICATION_RESUBMIT = "application.resubmit"
    APPLICATION_ATTACHMENT_ADDED = "application.attachment_added"
    APPLICATION_ATTACHMENT_REMOVED = "application.attachment_removed"
    DESK_ACTING_STARTED = "desk.acting_started"
    DESK_ACTING_STOPPED = "desk.acting_stopped"
    DESK_CALL_NOTE_ADDED = "desk.call_note_added"
    NOTICE_ID_NOTICE_VIEWED = "notice.id_notice_viewed"
    REVIEW_CLAIMED = "review.claimed"
    REVIEW_ASSIGNED = "review.assigned"
    REVIEW_RELEASED = "review.released"
    REVIEW_APPROVED = "review.approved"
    REVIEW_CODES_ISSUED = "review.codes_issued"
    REVIEW_RETURNED = "review.returned"
    REVIEW_REJECTED = "review.rejected"
    REVIEW_NOTE_ADDED = "review.note_added"
    AUTH_REISSUE_LINK_SENT = "auth.reissue_link_sent"  # a re-issue link mailed (services/reissue.py)
    BOARD_NOTICE_ADDED = "board.notice_added"      # 掲示板 (services/bulletin_board.py)
    BOARD_NOTICE_RETIRED = "board.notice_retired"
    BOARD_FILE_ADDED = "board.file_added"
    BOARD_FILE_REPLACED = "board.file_replaced"
    BOARD_FILE_RETIRED = "board.file_retired"
    CUTOFF_APPROVAL_CANCELLED = "cutoff.approval_cancelled"  # by the system, no actor (services/cutoff.py)
    CANCELLATION_APPLIED = "cancellation.applied"  # a 解約申込 took effect (services/cancellation/effect.py)
    FEE_SCHEDULE_ADDED = "billing.fee_schedule_added"
    USAGE_IMPORTED = "billing.usage_imported"
    USAGE_IMPORT_UNDONE = "billing.usage_import_undone"
    REFERENCE_DATA_CHANGED = "reference.changed"  # services/reference_data.py (before/after per value)
    TERMS_VERSION_ADDED = "terms.version_added"  # システム利用規程 (services/terms.py)

    @property
    def is_review_step(self) -> bool:
        """A reviewer's own review work. Anything else a reviewer records for an applicant counts
        as having entered data for them, which bars that reviewer from approving (desk-entry rule)."""
        return self in REVIEW_STEPS


REVIEW_STEPS = frozenset({
    AuditAction.REVIEW_CLAIMED, AuditAction.REVIEW_ASSIGNED, AuditAction.REVIEW_RELEASED,
    AuditAction.REVIEW_APPROVED, AuditAction.REVIEW_CODES_ISSUED, AuditAction.REVIEW_RETURNED,
    AuditAction.REVIEW_REJECTED, AuditAction.REVIEW_NOTE_ADDED,
})
# Every action that is not a review step: what the desk-entry rule looks for.
DATA_ENTRY_ACTIONS = frozenset(a for a in AuditAction if not a.is_review_step)

_SECRET_WORDS = ("password", "token", "secret", "hash")


def _scrub(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: ("***" if any(w in k.lower() for w in _SECRET_WORDS) else v) for k, v in values.items()}


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The keys whose value a save changed, before and after: what an audit event keeps of a
    screen (issue 8: full copies on every save grew the database by megabytes per save). A key
    only on one side is on that side only."""
    old, new = before or {}, after or {}
    keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k) or (k in old) != (k in new)]
    return {k: old[k] for k in keys if k in old}, {k: new[k] for k in keys if k in new}


def record(session: Session, actor: Actor | None, action: AuditAction, *, target_type: str | None = None,
           target_id: int | None = None, applicant_id: int | None = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    session.add(AuditEvent(
        at=clock.now(),
        actor_user_id=actor.user_id if actor else None,
        actor_login_id=actor.login_id if actor else None,
        on_behalf_of_applicant_id=on_behalf_of(actor, applicant_id) if actor else None,
        action=AuditAction(action).value, target_type=target_type, target_id=target_id,
        before=_scrub(before), after=_scrub(after),
    ))
