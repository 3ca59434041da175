"""Starting an application of any kind (新規利用申込, システム設定申込, 変更申込, 解約申込): the write
lock that makes two clicks start one, the one open procedure of a kind, and the DRAFT row with its
screens and the audit entry. What each kind checks first and pre-fills stays with its own start."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from db.models import Applicant, Application, ApplicationSection
from services import audit, clock
from services.application.forms import DEFINITIONS
from services.application.sections import EMPTY, Section
from services.audit import AuditAction
from services.authz import Actor
from services.errors import NotFound
from services.uow import rows_matched
from services.workflow import FINAL, ApplicationKind, ApplicationStatus


def lock_applicant(s: Session, applicant_id: int) -> None:
    """Two clicks (or the desk and the caller at once) must not start two applications: a no-op
    UPDATE of the applicant row takes the write lock first (a row lock on PostgreSQL, the database
    write lock on SQLite, whose plain SELECTs would not wait), so the second caller waits here and
    then sees the first one's application. NotFound for an unknown applicant."""
    if not rows_matched(s, update(Applicant).where(Applicant.id == applicant_id).values(status=Applicant.status)):
        raise NotFound()


def open_procedure(s: Session, kind: ApplicationKind, owner: ColumnElement[bool]) -> Application | None:
    """The newest application of `kind` not yet decided (入力中, 申込受付, 審査中 or 差戻し) whose row
    matches `owner` (an applicant, or one 利用者コード): the one open procedure of that kind."""
    return s.scalar(select(Application).where(Application.kind == kind, owner,
                                              Application.status.not_in(list(FINAL)))
                    .order_by(Application.id.desc()).limit(1))


def create_draft(s: Session, actor: Actor, kind: ApplicationKind, applicant_id: int, *,
                 screens: Iterable[Section], data: Mapping[str, dict] | None = None,
                 audit_after: Mapping[str, Any] | None = None, shared_use: bool = False,
                 company_name: str | None = None, connection_type: str | None = None,
                 industries: str | None = None, user_code_id: int | None = None) -> int:
    """Adds the DRAFT application with one row per screen of `screens`, each holding its `data`
    (pre-filled) and the status the kind's rules give it (EMPTY when nothing is pre-filled), and
    records APPLICATION_START ({"kind", **audit_after}); returns the new id. Does not commit."""
    data = data or {}
    now = clock.now()
    app = Application(kind=kind, shared_use=shared_use, status=ApplicationStatus.DRAFT, applicant_id=applicant_id,
                      user_code_id=user_code_id, created_at=now, updated_at=now, created_by_user_id=actor.user_id,
                      connection_type=connection_type, industries=industries, company_name=company_name)
    s.add(app)
    ctx = DEFINITIONS[kind].context(data, app)
    for section in screens:
        row = data.get(section.key, {})
        app.sections.append(ApplicationSection(
            section_key=section.key, data=row, status=section.status(row, ctx) if row else EMPTY,
            updated_at=now, updated_by_user_id=actor.user_id))
    s.flush()
    audit.record(s, actor, AuditAction.APPLICATION_START, target_type="application", target_id=app.id,
                 applicant_id=applicant_id, after={"kind": kind, **(audit_after or {})})
    return app.id
