"""The diff of one 変更申込 against the contract it changes, for its confirmation screen and the
reviewer's detail (services.change.diff does the comparing)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Application, ApplicationSection
from services import contract
from services.application.connection import uses_general
from services.application.read import ApplicationView
from services.application.sections import REVIEW_SCREEN, context_of
from services.authz import Actor, require_applicant_access
from services.change.diff import Change, diff
from services.change.parts import chosen_sections, scope_of
from services.errors import NotFound
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind


@dataclass(frozen=True)
class ChangeSummary:
    application_id: int
    parts: tuple[str, ...]
    effective_from: date | None
    changes: tuple[Change, ...]
    contracted_connection: str | None = None   # the 接続形態 of the version the change replaces


def adds_general(contracted: str | None, proposed: str | None) -> bool:
    """The change adds 一般 NACCS: only then is a システム構成図 asked for (an office that has it
    contracted attached its diagram with that application)."""
    return uses_general(proposed) and not uses_general(contracted)


def sections_of(s: Session, application_id: int) -> dict[str, dict]:
    return {r.section_key: dict(r.data or {}) for r in s.scalars(
        select(ApplicationSection).where(ApplicationSection.application_id == application_id))}


def base_version(s: Session, app: Application) -> contract.Version | None:
    """The version the change replaces: the newest one, or once approved the one before its own."""
    found = contract.versions(s, app.applicant_id)
    mine = next((i for i, v in enumerate(found) if v.application_id == app.id), None)
    if mine is not None:
        return found[mine - 1] if mine else None
    return found[-1] if found else None


def changes_of(s: Session, app: Application) -> ChangeSummary:
    proposed = sections_of(s, app.id)
    parts, effective = scope_of(proposed)
    base = base_version(s, app)
    current = base.sections if base else {}
    changes = diff(current, proposed, chosen_sections(parts), context_of(current, app.shared_use),
                   context_of(proposed, app.shared_use))
    return ChangeSummary(app.id, parts, effective, tuple(changes), contract.connection_of(current))


def change_summary(actor: Actor, application_id: int, *, uow: UnitOfWork | None = None) -> ChangeSummary:
    """The office itself or staff (services.authz)."""
    with (uow or UnitOfWork()) as u:
        app = get_or_raise(u.session, Application, application_id)
        require_applicant_access(actor, app.applicant_id)
        if app.kind != ApplicationKind.CHANGE:
            raise NotFound()
        return changes_of(u.session, app)


def resume_screen(view: ApplicationView) -> str | None:
    """The screen a 変更申込 opens on when this browser has no place yet (back after 一時保存, a
    差戻し): the first one a reviewer asked to correct, else the one saved last since the change was
    started (the one in progress), else the first listed. Every screen starts prefilled from the
    contract and 入力済, so the wizard's «first not 入力済» would not find the one in progress."""
    screens = [s for s in view.sections if s.key != REVIEW_SCREEN]
    if not screens:
        return None
    corrections = [s for s in screens if s.needs_correction]
    if corrections:
        return corrections[0].key
    touched = [s for s in screens if s.updated_at is not None and s.updated_at > view.created_at]
    return max(touched, key=lambda s: s.updated_at or view.created_at).key if touched else screens[0].key
