"""What happened to an applicant, or to one of its applications: the audit trail as staff read it.

One query serves the desk (the caller's whole record) and the reviewer (one application). The
entries keep the audit event's before/after values, already scrubbed of secrets by services.audit,
with the assignee's user id replaced by the assignee's name; the screens word them (ui.history_view).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Applicant, Application, AuditEvent, User
from services import clock
from services.audit import AuditAction

ASSIGNEE_ID, ASSIGNEE = "assignee_id", "assignee"


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime                       # JST
    action: str                        # an AuditAction value
    actor_login_id: str | None
    actor_name: str | None
    on_behalf: bool                    # entered by staff for the applicant (never a review step)
    for_applicant: str | None          # 氏名（会社名） of that applicant, when on_behalf
    target_type: str | None
    target_id: int | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None

    @property
    def section(self) -> str | None:
        """The 詳細入力画面 the event was about, when it says so."""
        for values in (self.after, self.before):
            if isinstance(values, dict) and isinstance(values.get("section"), str):
                return values["section"]
        return None


_ACTIONS = frozenset(AuditAction)


def _is_review_step(action: str) -> bool:
    return action in _ACTIONS and AuditAction(action).is_review_step


def _with_names(values: Any, names: dict[int, str]) -> dict[str, Any] | None:
    """The event's values without internal ids: the assignee by name."""
    if not isinstance(values, dict):
        return None
    out = {k: v for k, v in values.items() if k != ASSIGNEE_ID}
    if ASSIGNEE_ID in values:
        out[ASSIGNEE] = names.get(values[ASSIGNEE_ID])
    return out


def _assignee_names(s: Session, events: list[AuditEvent]) -> dict[int, str]:
    ids = {v[ASSIGNEE_ID] for e in events for v in (e.before, e.after)
           if isinstance(v, dict) and isinstance(v.get(ASSIGNEE_ID), int)}
    if not ids:
        return {}
    return dict(s.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def history(s: Session, applicant_id: int, *, application_id: int | None = None,
            limit: int = 100) -> list[HistoryEntry]:
    """Newest first: what staff did for the applicant, what happened to the applicant's record and
    to its applications (all of them, or only `application_id`)."""
    apps = ([application_id] if application_id is not None
            else select(Application.id).where(Application.applicant_id == applicant_id))
    who, whom = aliased(User), aliased(Applicant)
    rows = s.execute(
        select(AuditEvent, who.display_name, whom.contact_name, whom.company_name)
        .outerjoin(who, who.id == AuditEvent.actor_user_id)
        .outerjoin(whom, whom.id == AuditEvent.on_behalf_of_applicant_id)
        .where(or_(AuditEvent.on_behalf_of_applicant_id == applicant_id,
                   and_(AuditEvent.target_type == "application", AuditEvent.target_id.in_(apps)),
                   and_(AuditEvent.target_type == "applicant", AuditEvent.target_id == applicant_id)))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)).all()
    names = _assignee_names(s, [e for e, *_ in rows])
    entries = []
    for e, name, contact, company in rows:
        # A reviewer's own steps concern the applicant but are not entered for them.
        on_behalf = e.on_behalf_of_applicant_id is not None and not _is_review_step(e.action)
        entries.append(HistoryEntry(
            e.at.astimezone(clock.JST), e.action, e.actor_login_id, name, on_behalf,
            f"{contact}（{company}）" if on_behalf and contact else None, e.target_type, e.target_id,
            _with_names(e.before, names), _with_names(e.after, names)))
    return entries
