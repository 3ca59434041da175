"""Starting the 新規利用申込: one per applicant; starting it ends the 48-hour limit of the
仮ログイン ID (services.auth.temp_account_expired looks for an application)."""
from __future__ import annotations

from sqlalchemy import select, update

from db.models import Applicant, Application, ApplicationSection
from services import audit, clock
from services.application.sections import (
    APPLICANT_CONTACT,
    EMPTY,
    OFFICE,
    SECTIONS,
    context_of,
)
from services.audit import AuditAction
from services.authz import Actor, require_edit_access
from services.errors import DomainError, NotFound
from services.uow import UnitOfWork, get_or_raise, rows_matched
from services.workflow import ApplicationKind, ApplicationStatus


def start_application(actor: Actor, applicant_id: int, shared_use: bool, *,
                      uow: UnitOfWork | None = None) -> int:
    """Creates the DRAFT application with every screen, pre-filled from the temporary account."""
    require_edit_access(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        s = u.session
        # Two clicks (or the desk and the caller at once) must not start two applications: a no-op
        # UPDATE of the applicant row takes the write lock first (a row lock on PostgreSQL, the
        # database write lock on SQLite, whose plain SELECTs would not wait), so the second caller
        # waits here and then sees the first one's application.
        if not rows_matched(s, update(Applicant).where(Applicant.id == applicant_id).values(status=Applicant.status)):
            raise NotFound()
        applicant = get_or_raise(s, Applicant, applicant_id)
        if s.scalar(select(Application.id).where(Application.applicant_id == applicant_id,
                                                 Application.kind == ApplicationKind.NEW_USAGE)):
            raise DomainError("wizard.error.already_started")
        now = clock.now()
        app = Application(kind=ApplicationKind.NEW_USAGE, shared_use=shared_use, status=ApplicationStatus.DRAFT,
                          applicant_id=applicant_id, created_at=now, updated_at=now,
                          created_by_user_id=actor.user_id, connection_type=None, industries=None)
        s.add(app)
        prefill = _prefill(applicant)
        ctx = context_of(prefill, shared_use)
        for section in SECTIONS:
            data = prefill.get(section.key, {})
            app.sections.append(ApplicationSection(
                section_key=section.key, data=data, status=section.status(data, ctx) if data else EMPTY,
                updated_at=now, updated_by_user_id=actor.user_id))
        s.flush()
        audit.record(s, actor, AuditAction.APPLICATION_START, target_type="application", target_id=app.id,
                     applicant_id=applicant_id, after={"kind": ApplicationKind.NEW_USAGE, "shared_use": shared_use})
        app_id = app.id
        u.commit()
        return app_id


def _prefill(applicant: Applicant) -> dict[str, dict]:
    """What the temporary account already told us; the applicant checks and completes it."""
    clerk = {
        "application_clerk_name": applicant.contact_name,
        "application_clerk_kana": applicant.contact_kana,
        "application_clerk_department": applicant.department or "",
        "application_clerk_phone": applicant.phone,
        "application_clerk_email": applicant.email,
        "application_clerk_email_confirm": applicant.email,
    }
    office = {"company_name": applicant.company_name}
    if applicant.corporate_number:
        office["corporate_number"] = applicant.corporate_number
    return {APPLICANT_CONTACT: clerk, OFFICE: office}
