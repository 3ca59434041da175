"""Find a caller (SPEC §3.2): one query box, detected field, everything filtered in SQL on indexes.

Prefix searches use a B-tree index: on SQLite a range on the BINARY-collated column, on PostgreSQL
`LIKE 'x%'` on the indexes of migration 0002_desk (kana in COLLATE "C", which also gives the 五十音
order of the results). Partial name/company search compares db.search_text.search_key (NFKC +
casefold) of the query with the *_search columns holding the same of the stored names, so ＡＢＣ商事
is found by "abc" (services/desk/partial.py: on PostgreSQL pg_trgm from three characters and the
short-gram index below, on SQLite the FTS5 n-gram table; migrations 0005_desk_search and
0021_short_search). The total is counted up to COUNT_CAP only, so a two-character name that
matches half the table stops early instead of scanning it all. Figures: bench/bench_desk_search.py
(100,000) and bench/bench_million.py (1,000,000).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CompoundSelect

from db.models import Applicant, Application
from services.authz import DESK, Actor, require_role
from services.desk import partial
from services.desk import query as q
from services.desk.status import NextStep, next_steps
from services.uow import UnitOfWork

MAX_RESULTS = 50
COUNT_CAP = 1000
_INFIX_KINDS = (q.NAME, q.COMPANY, q.TEXT)
_FTS_FIELDS = {q.NAME: ("name",), q.COMPANY: ("company",), q.TEXT: ("name", "company")}


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


def _kana_column(dialect: str):
    return Applicant.contact_kana.collate("C") if dialect == "postgresql" else Applicant.contact_kana


def _prefix(column, value: str, dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return column.like(partial.escape_like(value) + "%", escape=partial.LIKE_ESCAPE)
    # SQLite's LIKE is case-insensitive and so cannot use a BINARY index; a range can.
    return and_(column >= value, column < value + "\U0010ffff")


def _condition(query: q.SearchQuery, dialect: str) -> ColumnElement[bool]:
    value, kind = query.value, query.kind
    if kind == q.NAME:
        return partial.contains(Applicant.contact_name_search, value, dialect)
    if kind == q.COMPANY:
        return partial.contains(Applicant.company_name_search, value, dialect)
    if kind == q.KANA:
        return _prefix(_kana_column(dialect), value, dialect)
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
    if kind == q.REF_NO:
        return Applicant.id.in_(select(Application.applicant_id).where(Application.ref_no == value))
    # Free text: a name or company (partial), or an exact code typed without knowing which kind.
    return or_(partial.any_field(value, dialect), *_codes(value))


def _codes(value: str) -> tuple[ColumnElement[bool], ...]:
    """Free text as an exact 仮ログイン ID or 事業所コード, when it can be one."""
    code = q.as_code(value)
    return (Applicant.temp_login_id == code, Applicant.office_code == code) if code else ()


def _order(kind: str, dialect: str):
    # Kana prefix reads best in 五十音 order (and walks the kana index); otherwise newest first.
    if kind == q.KANA:
        return (_kana_column(dialect), Applicant.id)
    return (Applicant.id.desc(),)


def _prefer_trigram_index(s: Session, query: q.SearchQuery, dialect: str) -> None:
    """PostgreSQL prices LIKE/ILIKE on multibyte text far too cheaply: for common words it scans the
    table, or walks the primary key backwards for the ORDER BY id, filtering every row (measured at
    100,000 applicants: 40-130 ms) where the trigram index takes 4-20 ms. From three characters the
    trigram (bitmap) path is always the better one, so say so for this transaction only; shorter
    words have no trigrams and keep the planner's choice."""
    if dialect == "postgresql" and query.kind in _INFIX_KINDS and len(query.value) > partial.SHORT:
        s.execute(text("SET LOCAL enable_seqscan = off"))
        s.execute(text("SET LOCAL enable_indexscan = off"))


def ids_select(query: q.SearchQuery, dialect: str) -> Select | CompoundSelect:
    """The ids of the matches in display order, at most COUNT_CAP: one pass gives the count and the
    page (the ordered index scan stops at the cap), instead of a count and a second search."""
    if dialect == "sqlite" and query.kind in _FTS_FIELDS:  # the n-gram table gives the ids itself
        codes = _codes(query.value) if query.kind == q.TEXT else ()
        return partial.sqlite_ids(query.value, _FTS_FIELDS[query.kind], codes, COUNT_CAP)
    where, order = _condition(query, dialect), _order(query.kind, dialect)
    return select(Applicant.id).where(where).order_by(*order).limit(COUNT_CAP)


def find_callers(actor: Actor, text: str | None, field: str = q.AUTO, *,
                 uow: UnitOfWork | None = None) -> SearchResult:
    require_role(actor, DESK)
    query = q.parse(text, field)
    with (uow or UnitOfWork()) as u:
        s = u.session
        dialect = s.get_bind().dialect.name
        _prefer_trigram_index(s, query, dialect)
        ids = list(s.scalars(ids_select(query, dialect)))
        page = ids[:MAX_RESULTS]
        by_id = {a.id: a for a in s.scalars(select(Applicant).where(Applicant.id.in_(page)))} if page else {}
        rows = [by_id[i] for i in page]
        steps = next_steps(s, rows)
        hits = [CallerHit(a.id, a.contact_name, a.contact_kana, a.company_name, a.phone, a.email,
                          a.temp_login_id, a.office_code, steps[a.id].application_status, steps[a.id])
                for a in rows]
        total = len(ids)
    return SearchResult(query.kind, total, total >= COUNT_CAP, hits)
