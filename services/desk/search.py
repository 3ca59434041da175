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

import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, text, union
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
NEWEST_WINDOW = 5_000  # rows a long partial word is looked for in first (PostgreSQL, _trigram_ids)
INDEX_ROW_COST = 4  # a match read through the trigram index costs about 4 rows walked (_walk_is_cheaper)
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


def _trigram_ids(s: Session, query: q.SearchQuery) -> list[int]:
    """PostgreSQL, partial words from three characters. A common word (株式会社: a third of the
    rows) has COUNT_CAP matches among the newest NEWEST_WINDOW rows, while the trigram index hands
    over every match to be sorted (0.4-0.9 s at 1M): so look there first, with a test no index
    serves. When the cap is reached those are the answer (every newer row was read). From the share
    of matches found there, walking on is chosen when it reads less than the index would
    (_walk_is_cheaper). Otherwise the trigram (bitmap) path, told so for this transaction only:
    PostgreSQL prices LIKE on multibyte text far too cheaply and would scan or walk the primary
    key filtering every row (at 100,000: 40-130 ms against 4-20 ms)."""
    rows = s.scalar(select(func.max(Applicant.id))) or 0
    ids = _newest_matches(s, query, NEWEST_WINDOW)
    if rows <= NEWEST_WINDOW:  # every row was read
        return ids
    if len(ids) < COUNT_CAP and _walk_is_cheaper(len(ids) / NEWEST_WINDOW, rows):
        ids = _newest_matches(s, query, math.ceil(1.5 * COUNT_CAP * NEWEST_WINDOW / len(ids)))
    if len(ids) == COUNT_CAP:
        return ids
    s.execute(text("SET LOCAL enable_seqscan = off"))
    s.execute(text("SET LOCAL enable_indexscan = off"))
    return list(s.scalars(ids_select(query, "postgresql")))


def _walk_is_cheaper(share: float, rows: int) -> bool:
    """Walking on to the cap reads about COUNT_CAP / share rows; the index reads every match, about
    share × rows, each costing INDEX_ROW_COST rows walked (measured at 100,000 and 1M: 1.5-2 µs a
    row walked, 6-7 µs a match read through the index). 聡太郎, 2% of 1M names: walked 27 ms, index
    105 ms; an ASCII company word, 1.7% of 100,000: index 10 ms, walked 100 ms."""
    return share > 0 and COUNT_CAP / share < INDEX_ROW_COST * share * rows


def _newest_matches(s: Session, query: q.SearchQuery, window: int) -> list[int]:
    newest = select(Applicant.id).order_by(Applicant.id.desc()).offset(window).limit(1).scalar_subquery()
    where = and_(_cheap_condition(query), Applicant.id > func.coalesce(newest, 0))
    return list(s.scalars(select(Applicant.id).where(where).order_by(Applicant.id.desc()).limit(COUNT_CAP)))


def _cheap_condition(query: q.SearchQuery) -> ColumnElement[bool]:
    name, company = (partial.holds(c, query.value) for c in (Applicant.contact_name_search,
                                                              Applicant.company_name_search))
    if query.kind == q.NAME:
        return name
    return company if query.kind == q.COMPANY else or_(name, company, *_codes(query.value))


def _postgres_partial_ids(s: Session, query: q.SearchQuery) -> list[int]:
    """One process per search: on a busy server, starting parallel workers for a walk of the
    newest rows cost ~70 ms against the 0.2-20 ms of the work itself (measured at 1M)."""
    s.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    if len(query.value) > partial.SHORT:
        return _trigram_ids(s, query)
    return list(s.scalars(ids_select(query, "postgresql")))


def ids_select(query: q.SearchQuery, dialect: str) -> Select | CompoundSelect:
    """The ids of the matches in display order, at most COUNT_CAP: one pass gives the count and the
    page (the ordered index scan stops at the cap), instead of a count and a second search."""
    if dialect == "sqlite" and query.kind in _FTS_FIELDS:  # the n-gram table gives the ids itself
        codes = _codes(query.value) if query.kind == q.TEXT else ()
        return partial.sqlite_ids(query.value, _FTS_FIELDS[query.kind], codes, COUNT_CAP)
    if dialect == "postgresql" and query.kind == q.TEXT and len(query.value) <= partial.SHORT:
        # One arm per column, each planned on its own statistics (a walk of the newest rows for a
        # common word, the index for a rare one); as one OR the planner misjudged both (千代 at 1M:
        # 190 ms for an index read of 29,000 rows, against 25 ms for the name's arm alone).
        arms = [select(Applicant.id).where(c).order_by(Applicant.id.desc()).limit(COUNT_CAP)
                for c in (partial.contains(Applicant.contact_name_search, query.value, dialect),
                          partial.contains(Applicant.company_name_search, query.value, dialect),
                          *_codes(query.value))]
        return union(*arms).order_by(literal_column("id").desc()).limit(COUNT_CAP)
    where, order = _condition(query, dialect), _order(query.kind, dialect)
    return select(Applicant.id).where(where).order_by(*order).limit(COUNT_CAP)


def find_callers(actor: Actor, text: str | None, field: str = q.AUTO, *,
                 uow: UnitOfWork | None = None) -> SearchResult:
    require_role(actor, DESK)
    query = q.parse(text, field)
    with (uow or UnitOfWork()) as u:
        s = u.session
        dialect = s.get_bind().dialect.name
        ids = (_postgres_partial_ids(s, query) if dialect == "postgresql" and query.kind in _INFIX_KINDS
               else list(s.scalars(ids_select(query, dialect))))
        page = ids[:MAX_RESULTS]
        by_id = {a.id: a for a in s.scalars(select(Applicant).where(Applicant.id.in_(page)))} if page else {}
        rows = [by_id[i] for i in page]
        steps = next_steps(s, rows)
        hits = [CallerHit(a.id, a.contact_name, a.contact_kana, a.company_name, a.phone, a.email,
                          a.temp_login_id, a.office_code, steps[a.id].application_status, steps[a.id])
                for a in rows]
        total = len(ids)
    return SearchResult(query.kind, total, total >= COUNT_CAP, hits)
