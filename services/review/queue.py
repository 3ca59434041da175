"""The review queue: filters, sort and one page, all in the database (capped count + LIMIT/OFFSET)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Boolean, ColumnElement, Integer, Select, and_, any_, func, literal_column, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.visitors import InternalTraversal

from db.models import Applicant, Application, ApplicationIndustry, User, UserCode, UserRole
from services import clock, deadlines
from services.application.connection import stored_values_using
from services.authz import ADMIN, REVIEWER, Actor, require_role
from services.deadlines import jst_midnight_utc
from services.review.open_queue import is_open, only_open, via_open_index
from services.uow import UnitOfWork
from services.workflow import OPEN_FOR_REVIEW, ApplicationKind, ApplicationStatus

KINDS = tuple(ApplicationKind)
VIEWER_ROLES = (REVIEWER, ADMIN)
MINE, UNASSIGNED = "mine", "unassigned"
OVERDUE, DUE_SOON = "overdue", "due_soon"
PAGE_SIZE = 50
# The count stops at COUNT_CAP + 1 matching rows: an exact count reads every matching row, so it grew
# with the table while the page itself did not. Nobody pages through more than a thousand items;
# the page says "1,000 件以上" and asks for narrower filters instead.
COUNT_CAP = 1000

Assignee = aliased(User, name="assignee")
# The 企業名 entered on 事業所・企業 (denormalised, see db.models.Application.company_name); until it
# is entered, the 会社名 typed for the temporary account.
COMPANY_NAME = func.coalesce(Application.company_name, Applicant.company_name)
# システム設定申込: its 利用者コード, looked up for the page's rows only (None for other kinds).
USER_CODE = select(UserCode.user_code).where(UserCode.id == Application.user_code_id).scalar_subquery()
SORTS = {
    "submitted_at": Application.submitted_at,
    "status": Application.status,
    "ref_no": Application.ref_no,
    "company": COMPANY_NAME,
}


@dataclass(frozen=True)
class QueueFilters:
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()            # empty: every status except 入力中
    connection_type: str | None = None        # NET / GENERAL: offices using it (both too); BOTH: both only
    industry: str | None = None               # one of db.reference.INDUSTRIES
    submitted_from: date | None = None        # JST dates, inclusive
    submitted_to: date | None = None
    assignee: str | int | None = None         # None: anyone; "mine"; "unassigned"; a user id
    due: str | None = None                    # None / "overdue" / "due_soon"
    ref_no: str = ""                          # prefix of the 受付番号


@dataclass(frozen=True)
class QueueRow:
    id: int
    ref_no: str | None
    kind: str
    shared_use: bool
    status: str
    company_name: str
    contact_name: str
    connection_type: str | None
    industries: list[str]
    submitted_at: datetime | None
    due_date: date | None
    overdue: bool
    assignee_login: str | None
    assignee_name: str | None
    version: int
    user_code: str | None = None      # システム設定申込: the 利用者コード it registers


def _open_only(f: QueueFilters) -> bool:
    """Every match is an open application: the open queue's partial index holds them all."""
    return only_open(f.statuses) or f.due in (OVERDUE, DUE_SOON)


def _rare_industry(s: Session, f: QueueFilters) -> bool:
    """Whether to find the 業種 through application_industries rather than by LIKE on the rows.

    The link rows cost about k (the industry's rows: ids first, then their applications, sorted);
    LIKE while walking the sort order costs about COUNT_CAP * N / k rows before the capped count is
    reached. The links win while k * k < COUNT_CAP * N (N estimated by the largest id, one index probe;
    k counted only up to that bound). Open-only filters keep LIKE: the open queue's index holds the
    industries, so filtering there reads no table rows at all."""
    if not f.industry or _open_only(f):
        return False
    bound = int((COUNT_CAP * (s.scalar(select(func.max(Application.id))) or 0)) ** 0.5) + 1
    links = select(literal_column("1", Integer)).where(ApplicationIndustry.industry == f.industry).limit(bound)
    return (s.scalar(select(func.count()).select_from(links.subquery("links"))) or 0) < bound


class _HasIndustry(ColumnElement[bool]):
    """`applications.id` is among the application_industries rows of one industry."""
    # The subquery takes part in the statement cache key, its industry as a bound parameter.
    _traverse_internals = [("ids", InternalTraversal.dp_clauseelement)]
    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a predicate already: SQLite must not get "... = 1" (no index then)

    def __init__(self, industry: str) -> None:
        self.ids = select(ApplicationIndustry.application_id).where(ApplicationIndustry.industry == industry)


@compiles(_HasIndustry)
def _has_industry(element: _HasIndustry, compiler, **kw) -> str:
    return compiler.process(Application.id.in_(element.ids), **kw)


@compiles(_HasIndustry, "postgresql")
def _has_industry_postgresql(element: _HasIndustry, compiler, **kw) -> str:
    # PostgreSQL hashes an IN subquery against a scan of the whole table (it expects the LIMIT to stop
    # it early); reading the ids first into an array makes them a primary key lookup each.
    return compiler.process(Application.id == any_(func.array(element.ids.scalar_subquery())), **kw)


def _filtered(stmt: Select, actor: Actor, f: QueueFilters, rare_industry: bool = False) -> Select:
    stmt = stmt.where(and_(*_conditions(actor, f, rare_industry)))
    return via_open_index(stmt, by_connection=bool(f.connection_type)) if _open_only(f) else stmt


def _conditions(actor: Actor, f: QueueFilters, rare_industry: bool = False) -> list:
    # Every status but 入力中 has a submitted_at (only services.application.submit leaves DRAFT and
    # sets it): saying so lets SQLite skip the drafts' NULLs in the submitted-date index instead of
    # walking through them (15-27 ms at 100k, 135-167 ms at 1M without it; issue 9).
    cond = [Application.status.in_(f.statuses) if f.statuses
            else and_(Application.status != ApplicationStatus.DRAFT, Application.submitted_at.is_not(None))]
    if _open_only(f):
        cond.append(is_open())  # the index's own predicate, so the database may use it
    if f.kinds:
        cond.append(Application.kind.in_(f.kinds))
    if f.connection_type:
        # IN on the leading column of the index led by 接続形態: one range of it per value.
        cond.append(Application.connection_type.in_(stored_values_using(f.connection_type)))
    if f.industry and rare_industry:
        cond.append(_HasIndustry(f.industry))
    elif f.industry:
        cond.append(Application.industries.like(f"%|{f.industry}|%"))
    if f.submitted_from:
        cond.append(Application.submitted_at >= jst_midnight_utc(f.submitted_from))
    if f.submitted_to:
        cond.append(Application.submitted_at < jst_midnight_utc(f.submitted_to + timedelta(days=1)))
    if f.assignee == MINE:
        cond.append(Application.assignee_id == actor.user_id)
    elif f.assignee == UNASSIGNED:
        cond.append(Application.assignee_id.is_(None))
    elif isinstance(f.assignee, int):
        cond.append(Application.assignee_id == f.assignee)
    if f.due == OVERDUE:
        cond.append(Application.submitted_at < deadlines.overdue_cutoff())
    elif f.due == DUE_SOON:
        cond += [Application.submitted_at >= deadlines.overdue_cutoff(),
                 Application.submitted_at < deadlines.due_soon_cutoff()]
    if f.ref_no.strip():
        cond.append(Application.ref_no.like(f"{f.ref_no.strip().upper()}%"))
    return cond


def _order(sort: str) -> list:
    descending = sort.startswith("-")
    column = SORTS.get(sort.lstrip("-"), Application.submitted_at)
    key = column.desc() if descending else column.asc()
    # The id breaks ties so that pages never overlap or skip rows.
    return [key, Application.id.desc() if descending else Application.id.asc()]


def _columns():
    return (Application.id, Application.ref_no, Application.kind, Application.shared_use, Application.status,
            COMPANY_NAME.label("company_name"), Applicant.contact_name, Application.connection_type,
            Application.industries,
            Application.submitted_at, Assignee.login_id, Assignee.display_name, Application.version,
            USER_CODE.label("user_code"))


def queue_select(actor: Actor, filters: QueueFilters, sort: str) -> Select:
    """The filtered, sorted rows (the CSV export streams all of them)."""
    stmt = (select(*_columns())
            .join(Applicant, Applicant.id == Application.applicant_id)
            .outerjoin(Assignee, Assignee.id == Application.assignee_id))
    return _filtered(stmt, actor, filters).order_by(*_order(sort))


def _page_select(actor: Actor, filters: QueueFilters, sort: str, offset: int, limit: int,
                 rare_industry: bool = False) -> Select:
    """One page: pick the page's ids from the applications index first, then join only those rows
    (joining before the sort would look up the company and assignee of every matching row)."""
    ids = (_filtered(_joined_for_sort(select(Application.id), sort), actor, filters, rare_industry)
           .order_by(*_order(sort)).offset(offset).limit(limit))
    return (select(*_columns())
            .join(Applicant, Applicant.id == Application.applicant_id)
            .outerjoin(Assignee, Assignee.id == Application.assignee_id)
            .where(Application.id.in_(ids.scalar_subquery()))
            .order_by(*_order(sort)))


def to_row(r, today: date) -> QueueRow:
    due = deadlines.due_date(r.submitted_at) if r.submitted_at else None
    return QueueRow(
        id=r.id, ref_no=r.ref_no, kind=r.kind, shared_use=bool(r.shared_use), status=r.status,
        company_name=r.company_name, contact_name=r.contact_name, connection_type=r.connection_type,
        industries=[i for i in (r.industries or "").split("|") if i], submitted_at=r.submitted_at,
        due_date=due, overdue=bool(due and due < today and r.status in OPEN_FOR_REVIEW),
        assignee_login=r.login_id, assignee_name=r.display_name, version=r.version,
        user_code=getattr(r, "user_code", None))


def is_capped(total: int) -> bool:
    """list_queue's total means "more than COUNT_CAP" (the real number was not counted)."""
    return total > COUNT_CAP


def pageable_count(total: int) -> int:
    """How many rows the page numbers reach: all of them, or the first COUNT_CAP when capped."""
    return min(total, COUNT_CAP)


def _capped_count_select(actor: Actor, filters: QueueFilters, rare_industry: bool = False) -> Select:
    matching = (_filtered(select(literal_column("1")).select_from(Application), actor, filters, rare_industry)
                .limit(COUNT_CAP + 1))
    return select(func.count()).select_from(matching.subquery("matching"))


def list_queue(actor: Actor, filters: QueueFilters | None = None, sort: str = "submitted_at",
               page: int = 0, page_size: int = PAGE_SIZE, *,
               uow: UnitOfWork | None = None) -> tuple[int, list[QueueRow]]:
    """(total matching, at most COUNT_CAP + 1 — see is_capped; one page of rows).
    `sort` is a key of SORTS, "-" in front for descending."""
    require_role(actor, *VIEWER_ROLES)
    filters = filters or QueueFilters()
    page_size = max(1, min(page_size, 500))
    with (uow or UnitOfWork()) as u:
        s = u.session
        rare_industry = _rare_industry(s, filters)
        total = s.scalar(_capped_count_select(actor, filters, rare_industry))
        rows = s.execute(_page_select(actor, filters, sort, max(page, 0) * page_size, page_size, rare_industry))
        today = clock.today_jst()
        return total, [to_row(r, today) for r in rows]


def list_reviewers(actor: Actor, *, uow: UnitOfWork | None = None) -> list[tuple[int, str, str]]:
    """(user id, login id, name) of active reviewers, for the assignee filter and the assign action."""
    require_role(actor, *VIEWER_ROLES)
    with (uow or UnitOfWork()) as u:
        rows = u.session.execute(select(User.id, User.login_id, User.display_name)
                         .join(UserRole, UserRole.user_id == User.id)
                         .where(UserRole.role == REVIEWER, User.is_active.is_(True))
                         .order_by(User.login_id))
        return [(user_id, login_id, name) for user_id, login_id, name in rows]


def next_in_queue(actor: Actor, filters: QueueFilters | None, sort: str, after_id: int, *,
                  uow: UnitOfWork | None = None) -> int | None:
    """The application after `after_id` in this filtered, sorted queue ("承認して次へ"), or None at its end.

    Call it before acting on `after_id`: its place is read from its current sort key (a decision
    moves it out of an open-only filter, and under the status sort it would move elsewhere)."""
    require_role(actor, *VIEWER_ROLES)
    filters = filters or QueueFilters()
    descending = sort.startswith("-")
    column = SORTS.get(sort.lstrip("-"), Application.submitted_at)
    with (uow or UnitOfWork()) as u:
        s = u.session
        here = s.execute(_joined_for_sort(select(column.label("key")).select_from(Application), sort)
                         .where(Application.id == after_id)).first()
        if here is None:
            return None
        beyond = (column < here.key) if descending else (column > here.key)
        later_id = (Application.id < after_id) if descending else (Application.id > after_id)
        after = or_(beyond, and_(column == here.key, later_id)) if here.key is not None else later_id
        stmt = _joined_for_sort(select(Application.id), sort).where(after)
        return s.scalar(_filtered(stmt, actor, filters).order_by(*_order(sort)).limit(1))


def _joined_for_sort(stmt: Select, sort: str) -> Select:
    """The company sort reads the temporary account's 会社名 as its fallback: join it only then."""
    return stmt.join(Applicant, Applicant.id == Application.applicant_id) if sort.lstrip("-") == "company" else stmt
