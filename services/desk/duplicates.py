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

from sqlalchemy import String, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from db.models import Applicant, Application, ApplicationSection
from services.application.sections import OFFICE
from services.authz import DESK, Actor, require_applicant_access, require_role
from services.fields import to_half_width_ascii
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind

MAX_SHOWN = 5
_ADDRESS_FIELDS = ("head_office_address", "office_address")
_CORPORATE_NUMBER_FIELD = "corporate_number"
# The screen values looked up here, each with an expression index (migration 0018_cancellation).
SCREEN_VALUE_INDEXES = {f"ix_sections_{key}": key for key in (_CORPORATE_NUMBER_FIELD, *_ADDRESS_FIELDS)}


class DuplicateReason(StrEnum):
    CORPORATE_NUMBER = "CORPORATE_NUMBER"
    ADDRESS = "ADDRESS"


@dataclass(frozen=True)
class DuplicateHit:
    reason: DuplicateReason
    applicant_id: int
    code: str                 # 事業所コード of an office, else its 仮ログイン ID
    company_name: str


class _ScreenValue(ColumnElement[str]):
    """One text value of a screen's JSON, written with its key as a literal so that the expression
    indexes of migration 0018_cancellation (SCREEN_VALUE_INDEXES) answer the lookup: the generic
    `data[key].as_string()` binds the key as a parameter, which no index matches. Keys are ours."""
    _traverse_internals = [("key", InternalTraversal.dp_string)]  # the key is part of the statement's text
    inherit_cache = True
    type = String()

    def __init__(self, key: str) -> None:
        assert key.isidentifier(), key
        self.key = key


@compiles(_ScreenValue)
def _screen_value_sqlite(element: _ScreenValue, _compiler, **_kw) -> str:
    return f"json_extract(application_sections.data, '$.{element.key}')"


@compiles(_ScreenValue, "postgresql")
def _screen_value_postgresql(element: _ScreenValue, _compiler, **_kw) -> str:
    return f"(application_sections.data ->> '{element.key}')"


def _office_value(field: str) -> _ScreenValue:
    return _ScreenValue(field)


def _office_sections_with(field_values: dict[str, set[str]]):
    """Applicant ids whose 事業所・企業 screen holds one of the values in one of the fields."""
    conditions = [_office_value(f).in_(sorted(v)) for f, v in field_values.items() if v]
    return (select(Application.applicant_id)
            .join(ApplicationSection, ApplicationSection.application_id == Application.id)
            .where(ApplicationSection.section_key == OFFICE, or_(*conditions)))


def _hits(s: Session, reason: DuplicateReason, ids_query, exclude: int | None, *,
          offices_only: bool = False, limit: int = MAX_SHOWN) -> list[DuplicateHit]:
    query = select(Applicant).where(Applicant.id.in_(ids_query)).order_by(Applicant.id).limit(limit + 1)
    if exclude is not None:
        query = query.where(Applicant.id != exclude)
    if offices_only:
        query = query.where(Applicant.office_code.is_not(None))
    return [DuplicateHit(reason, a.id, a.office_code or a.temp_login_id, a.company_name)
            for a in s.scalars(query)][:MAX_SHOWN]


def _by_corporate_number(s: Session, numbers: set[str], exclude: int | None, **only) -> list[DuplicateHit]:
    if not numbers:
        return []
    own = select(Applicant.id).where(Applicant.corporate_number.in_(sorted(numbers)))
    on_screen = _office_sections_with({_CORPORATE_NUMBER_FIELD: numbers})
    return _hits(s, DuplicateReason.CORPORATE_NUMBER, own.union(on_screen), exclude, **only)


def _by_address(s: Session, addresses: set[str], exclude: int | None, **only) -> list[DuplicateHit]:
    if not addresses:
        return []
    return _hits(s, DuplicateReason.ADDRESS, _office_sections_with({f: addresses for f in _ADDRESS_FIELDS}),
                 exclude, **only)


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


def _numbers_and_addresses(applicant: Applicant, screens) -> tuple[set[str], set[str]]:
    numbers = {n for n in [_digits(applicant.corporate_number)]
               + [_digits(str(d.get(_CORPORATE_NUMBER_FIELD) or "")) for d in screens] if len(n) == 13}
    addresses = {str(d[f]).strip() for d in screens for f in _ADDRESS_FIELDS if d.get(f)}
    return numbers, addresses


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
        numbers, addresses = _numbers_and_addresses(applicant, screens)
        return _by_corporate_number(s, numbers, applicant_id) + _by_address(s, addresses, applicant_id)


# ------------------------------------------------------------------ routing help (issue 12 item 5)
# The same queries, told to the applicant and the reviewer: an existing OFFICE (事業所コード issued)
# with the same 法人番号 or address means a 変更申込 of that contract, or 共同利用, may be what is
# wanted. Only the reasons are returned (never which office): the applicant must not learn others' data.

def _reasons(s: Session, numbers: set[str], addresses: set[str], exclude: int | None) -> tuple[DuplicateReason, ...]:
    found = []
    if _by_corporate_number(s, numbers, exclude, offices_only=True, limit=1):
        found.append(DuplicateReason.CORPORATE_NUMBER)
    if _by_address(s, addresses, exclude, offices_only=True, limit=1):
        found.append(DuplicateReason.ADDRESS)
    return tuple(found)


def routing_help_for_corporate_number(corporate_number: str | None, *, exclude: int | None = None,
                                      uow: UnitOfWork | None = None) -> tuple[DuplicateReason, ...]:
    """For a temporary account just issued (public page, desk): does an office have this 法人番号?"""
    number = _digits(corporate_number)
    if len(number) != 13:
        return ()
    with (uow or UnitOfWork()) as u:
        return _reasons(u.session, {number}, set(), exclude)


def routing_help(actor: Actor, application_id: int, *, uow: UnitOfWork | None = None) -> tuple[DuplicateReason, ...]:
    """For a 新規利用申込 (its applicant on the 入力確認画面, the reviewer on 申込詳細): the 法人番号 and
    addresses of its 事業所・企業 screen (and the temporary account's 法人番号) against other offices.
    A 共同利用 application or another kind gets none: it is already what the help would suggest."""
    with (uow or UnitOfWork()) as u:
        s = u.session
        app = get_or_raise(s, Application, application_id)
        require_applicant_access(actor, app.applicant_id)
        if app.kind != ApplicationKind.NEW_USAGE or app.shared_use:
            return ()
        applicant = get_or_raise(s, Applicant, app.applicant_id)
        screen = s.scalar(select(ApplicationSection.data).where(ApplicationSection.application_id == app.id,
                                                                ApplicationSection.section_key == OFFICE))
        numbers, addresses = _numbers_and_addresses(applicant, [screen or {}])
        return _reasons(s, numbers, addresses, app.applicant_id)
