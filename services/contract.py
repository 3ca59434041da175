"""契約内容確認 (SPEC §2.4, §2.6): what an office has contracted — read from its approved
新規利用申込 and the 利用者コード issued on approval — and the registration status of its system
settings (services.system_settings.registrations, the one place that decides ○ and ×).

Later 変更申込 will change the contract; until then the approved new usage application is it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.models import Applicant, Application, UserCode
from services import deadlines
from services.authz import Actor, require_applicant_access
from services.system_settings.registrations import RegistrationTable, table_for
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind, ApplicationStatus

# The screens of the new usage application that make up the contract, in the order shown.
CONTRACT_SECTIONS = ("office", "user_code", "line", "mailbox", "logical_terminal", "fee_plan", "billing_address")


@dataclass(frozen=True)
class ContractUserCode:
    user_code: str
    system_category: str
    industries: tuple[str, ...]
    id_numbers: tuple[str, ...]
    retired_on: date | None = None   # 解約: retired by an approved 解約申込 (JST day); kept, never reused

    @property
    def user_ids(self) -> tuple[str, ...]:
        """利用者ID = 利用者コード + 識別番号."""
        return tuple(self.user_code + n for n in self.id_numbers)


@dataclass(frozen=True)
class Contract:
    applicant_id: int
    company_name: str
    office_code: str | None
    application_id: int | None      # the approved 新規利用申込 whose screens are the contract; None before
    start_date: date | None         # 利用開始日
    connection_type: str | None
    user_codes: tuple[ContractUserCode, ...]
    registrations: RegistrationTable

    @property
    def in_force(self) -> bool:
        return self.application_id is not None


def contract(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> Contract:
    """The office itself, or staff for any office (services.authz)."""
    require_applicant_access(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        s = u.session
        applicant = get_or_raise(s, Applicant, applicant_id)
        app = s.scalar(select(Application).where(
            Application.applicant_id == applicant_id, Application.kind == ApplicationKind.NEW_USAGE,
            Application.status == ApplicationStatus.APPROVED).order_by(Application.id.desc()).limit(1))
        codes = tuple(
            ContractUserCode(c.user_code, c.system_category, tuple(str(i) for i in c.industries or []),
                             tuple(str(n) for n in c.id_numbers or []),
                             deadlines.jst_date(c.retired_at) if c.retired_at else None)
            for c in s.scalars(select(UserCode).where(UserCode.applicant_id == applicant_id)
                               .order_by(UserCode.user_code)))
        return Contract(applicant_id, app.company_name if app and app.company_name else applicant.company_name,
                        applicant.office_code, app.id if app else None, app.start_date if app else None,
                        app.connection_type if app else None, codes, table_for(s, applicant_id))
