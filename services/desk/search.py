"""Find a caller (SPEC §3.2): one query box, detected field, everything filtered in SQL on indexes.

Prefix searches use a B-tree index: on SQLite a range on the BINARY-collated column, on PostgreSQL
`LIKE 'x%'` on the text_pattern_ops indexes of migration 0002_desk. Partial name/company search is a
pg_trgm GIN index on PostgreSQL and a scan on SQLite. The total is counted up to COUNT_CAP only, so a
two-character name that matches half the table stops counting early instead of scanning it all.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from db.models import Applicant
from db.uow import uow
from services.authz import DESK, Actor, require_role
from services.desk import query as q
from services.desk.status import NextStep, next_steps

MAX_RESULTS = 50
COUNT_CAP = 1000
_LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class CallerHit:
    applicant_id: int
    contact_name: str
    contact_kana: str
    company_name: str
    phone: str
    email: str
    temp_login_id: str
    office_code: str | None
    application_status: str | None  # workflow status of the latest application, None before one exists
    next_step: NextStep


@dataclass(frozen=True)
class SearchResult:
    kind: str                 # the field that was searched (detected or chosen)
    total: int                # matches, counted up to COUNT_CAP
    total_capped: bool        # True when there are at least COUNT_CAP matches
    hits: list[CallerHit]     # at most MAX_RESULTS


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _prefix(column, value: str, dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return column.like(_escape_like(value) + "%", escape=_LIKE_ESCAPE)
    # SQLite's LIKE is case-insensitive and so cannot use a BINARY index; a range can.
    return and_(column >= value, column < value + "\U0010ffff")


def _contains(column, value: str, dialect: str) -> ColumnElement[bool]:
    pattern = "%" + _escape_like(value) + "%"
    if dialect == "postgresql":
        return column.ilike(pattern, escape=_LIKE_ESCAPE)  # ASCII company names: any case
    return column.like(pattern, escape=_LIKE_ESCAPE)      # SQLite LIKE already ignores ASCII case


def _condition(query: q.SearchQuery, dialect: str) -> ColumnElement[bool]:
    value, kind = query.value, query.kind
    if kind == q.NAME:
        return _contains(Applicant.contact_name, value, dialect)
    if kind == q.COMPANY:
        return _contains(Applicant.company_name, value, dialect)
    if kind == q.KANA:
        return _prefix(Applicant.contact_kana, value, dialect)
    if kind == q.PHONE:
        return _prefix(Applicant.phone_digits, value, dialect)
    if kind == q.EMAIL:
        return _prefix(Applicant.email_lower, value, dialect)
    if kind == q.CORPORATE_NUMBER:
        return Applicant.corporate_number == value
    if kind == q.TEMP_LOGIN_ID:
        return Applicant.temp_login_id == value   # codes are stored upper-case
    if kind == q.OFFICE_CODE:
        return Applicant.office_code == value
    # Free text: a name or company (partial), or an exact code typed without knowing which kind.
    codes = (or_(Applicant.temp_login_id == value.upper(), Applicant.office_code == value.upper())
             if q.looks_like_code(value) else false())
    return or_(_contains(Applicant.contact_name, value, dialect),
               _contains(Applicant.company_name, value, dialect), codes)


def _order(kind: str):
    # Kana prefix reads best in 五十音 order (and walks the kana index); otherwise newest first.
    if kind == q.KANA:
        return (Applicant.contact_kana, Applicant.id)
    return (Applicant.id.desc(),)


def _count(s: Session, where: ColumnElement[bool]) -> int:
    capped = select(Applicant.id).where(where).limit(COUNT_CAP).subquery()
    return s.scalar(select(func.count()).select_from(capped)) or 0


def find_callers(actor: Actor, text: str | None, field: str = q.AUTO) -> SearchResult:
    require_role(actor, DESK)
    query = q.parse(text, field)
    with uow() as s:
        where = _condition(query, s.get_bind().dialect.name)
        total = _count(s, where)
        rows = s.scalars(select(Applicant).where(where).order_by(*_order(query.kind))
                         .limit(MAX_RESULTS)).all()
        steps = next_steps(s, rows)
        hits = [CallerHit(a.id, a.contact_name, a.contact_kana, a.company_name, a.phone, a.email,
                          a.temp_login_id, a.office_code, steps[a.id].application_status, steps[a.id])
                for a in rows]
    return SearchResult(query.kind, total, total >= COUNT_CAP, hits)
