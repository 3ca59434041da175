"""Starting the 新規利用申込: one per applicant; starting it ends the 48-hour limit of the
仮ログイン ID (services.auth.temp_account_expired looks for an application)."""
from __future__ import annotations

from sqlalchemy import select

from db.models import Applicant, Application
from services.application.create import create_draft, lock_applicant
from services.application.sections import APPLICANT_CONTACT, OFFICE, SECTIONS
from services.authz import Actor, require_edit_access
from services.errors import DomainError
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind


def start_application(actor: Actor, applicant_id: int, shared_use: bool, *,
                      uow: UnitOfWork | None = None) -> int:
    """Creates the DRAFT application with every screen, pre-filled from the temporary account."""
    require_edit_access(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        s = u.session
        lock_applicant(s, applicant_id)  # the second of two clicks waits, then sees the first one's
        applicant = get_or_raise(s, Applicant, applicant_id)
        if s.scalar(select(Application.id).where(Application.applicant_id == applicant_id,
                                                 Application.kind == ApplicationKind.NEW_USAGE)):
            raise DomainError("wizard.error.already_started")
        app_id = create_draft(s, actor, ApplicationKind.NEW_USAGE, applicant_id, screens=SECTIONS,
                              data=_prefill(applicant), shared_use=shared_use, audit_after={"shared_use": shared_use})
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
