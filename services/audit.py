"""Audit events, written in the same transaction as the change they record."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.models import AuditEvent
from services import clock
from services.authz import Actor, on_behalf_of

_SECRET_WORDS = ("password", "token", "secret", "hash")


def _scrub(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: ("***" if any(w in k.lower() for w in _SECRET_WORDS) else v) for k, v in values.items()}


def record(session: Session, actor: Actor | None, action: str, *, target_type: str | None = None,
           target_id: int | None = None, applicant_id: int | None = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    session.add(AuditEvent(
        at=clock.now(),
        actor_user_id=actor.user_id if actor else None,
        actor_login_id=actor.login_id if actor else None,
        on_behalf_of_applicant_id=on_behalf_of(actor, applicant_id) if actor else None,
        action=action, target_type=target_type, target_id=target_id,
        before=_scrub(before), after=_scrub(after),
    ))
