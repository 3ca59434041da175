"""An office's 変更申込 and 解約申込 (SPEC §2.6), newest first, for its 申込内容確認 page: what each
is (kind, status, 受付番号); the page shows a change's diff (services.change.read) and a
cancellation's screen (services.application.read) under it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from db.models import Application
from services.authz import Actor, require_applicant_access
from services.uow import UnitOfWork
from services.workflow import ApplicationKind

KINDS = (ApplicationKind.CHANGE, ApplicationKind.CANCELLATION)


@dataclass(frozen=True)
class LaterProcedure:
    application_id: int
    kind: str
    status: str
    ref_no: str | None
    submitted_at: datetime | None


def later_procedures(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> list[LaterProcedure]:
    """The office itself or staff (services.authz)."""
    require_applicant_access(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        rows = u.session.scalars(select(Application).where(
            Application.applicant_id == applicant_id, Application.kind.in_([k.value for k in KINDS]))
            .order_by(Application.id.desc()))
        return [LaterProcedure(a.id, a.kind, a.status, a.ref_no, a.submitted_at) for a in rows]
