"""Possible duplicates for the desk: a 法人番号 or a company address that already belongs to another
applicant or office. Shown as a warning (a 変更申込 or 共同利用 case, or the same caller twice),
never a refusal: the same company may rightly hold several offices.

The 法人番号 is compared with the applicants' own column (indexed) and with the 事業所・企業 screen
of their applications; the addresses (本社所在地, 事業所所在地) with that screen's stored values,
which the wizard has already cleaned (half-width ASCII, trimmed), so an exact comparison finds
the same address typed the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, ApplicationSection
from services.application.sections import OFFICE
from services.authz import DESK, Actor, require_role
from services.fields import to_half_width_ascii
from services.uow import UnitOfWork, get_or_raise

MAX_SHOWN = 5
_ADDRESS_FIELDS = ("head_office_address", "office_address")
_CORPORATE_NUMBER_FIELD = "corporate_number"


class DuplicateReason(StrEnum):
    CORPORATE_NUMBER = "CORPORATE_NUMBER"
    ADDRESS = "ADDRESS"


@dataclass(frozen=True)
class DuplicateHit:
    reason: DuplicateReason
    applicant_id: int
    code: str                 # 事業所コード of an office, else its 仮ログイン ID
    company_name: str


def _office_value(field: str):
    return ApplicationSection.data[field].as_string()


def _office_sections_with(field_values: dict[str, set[str]]):
    """Applicant ids whose 事業所・企業 screen holds one of the values in one of the fields."""
    conditions = [_office_value(f).in_(sorted(v)) for f, v in field_values.items() if v]
    return (select(Application.applicant_id)
            .join(ApplicationSection, ApplicationSection.application_id == Application.id)
            .where(ApplicationSection.section_key == OFFICE, or_(*conditions)))


def _hits(s: Session, reason: DuplicateReason, ids_query, exclude: int | None) -> list[DuplicateHit]:
    query = select(Applicant).where(Applicant.id.in_(ids_query)).order_by(Applicant.id).limit(MAX_SHOWN + 1)
    if exclude is not None:
        query = query.where(Applicant.id != exclude)
    return [DuplicateHit(reason, a.id, a.office_code or a.temp_login_id, a.company_name)
            for a in s.scalars(query)][:MAX_SHOWN]


def _by_corporate_number(s: Session, numbers: set[str], exclude: int | None) -> list[DuplicateHit]:
    if not numbers:
        return []
    own = select(Applicant.id).where(Applicant.corporate_number.in_(sorted(numbers)))
    on_screen = _office_sections_with({_CORPORATE_NUMBER_FIELD: numbers})
    return _hits(s, DuplicateReason.CORPORATE_NUMBER, own.union(on_screen), exclude)


def _by_address(s: Session, addresses: set[str], exclude: int | None) -> list[DuplicateHit]:
    if not addresses:
        return []
    return _hits(s, DuplicateReason.ADDRESS, _office_sections_with({f: addresses for f in _ADDRESS_FIELDS}),
                 exclude)


def _digits(value: str | None) -> str:
    return "".join(c for c in to_half_width_ascii(value or "") if c.isdigit())


def corporate_number_duplicates(actor: Actor, corporate_number: str | None, *,
                                uow: UnitOfWork | None = None) -> list[DuplicateHit]:
    """For the temporary-account form: who already has this 法人番号 (as typed, any width)."""
    require_role(actor, DESK)
    number = _digits(corporate_number)
    if len(number) != 13:
        return []
    with (uow or UnitOfWork()) as u:
        return _by_corporate_number(u.session, {number}, None)


def caller_duplicates(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> list[DuplicateHit]:
    """For the caller card: other applicants with the caller's 法人番号 or company address."""
    require_role(actor, DESK)
    with (uow or UnitOfWork()) as u:
        s = u.session
        applicant = get_or_raise(s, Applicant, applicant_id)
        screens = s.scalars(select(ApplicationSection.data)
                            .join(Application, ApplicationSection.application_id == Application.id)
                            .where(Application.applicant_id == applicant_id,
                                   ApplicationSection.section_key == OFFICE)).all()
        numbers = {n for n in [_digits(applicant.corporate_number)]
                   + [_digits(str(d.get(_CORPORATE_NUMBER_FIELD) or "")) for d in screens] if len(n) == 13}
        addresses = {str(d[f]).strip() for d in screens for f in _ADDRESS_FIELDS if d.get(f)}
        return _by_corporate_number(s, numbers, applicant_id) + _by_address(s, addresses, applicant_id)
