"""The staff view of system settings across offices (beyond NSS): one row per 利用者コード of every
office whose 利用開始日 falls in the next N business days, with its ○/× per item, so the desk and
the reviewers can call the offices that are about to be cancelled (SPEC §2.5a).

One query filters (horizon, 業種, a × left), sorts and pages the 利用者コード, one counts them, and one
more reads the registrations of the page shown."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Exists, Select, exists, func, or_, select
from sqlalchemy.sql.selectable import TableValuedAlias

from db.models import Applicant, Application, SystemSettingsRegistration, UserCode
from services import clock, deadlines
from services.applicant_status import STOPPED
from services.authz import ADMIN, DESK, REVIEWER, Actor, require_role
from services.calendar import add_business_days
from services.exports import safe_row
from services.system_settings import registrations
from services.system_settings.registrations import NAME_ITEM, RegistrationRow, is_live
from services.uow import UnitOfWork
from services.workflow import ApplicationKind, ApplicationStatus

VIEWER_ROLES = (DESK, REVIEWER, ADMIN)
MAX_HORIZON_DAYS = 60
SORTS = ("days_left", "-days_left", "company")
BOM = "\ufeff"
# CSV column keys before the items; the page passes their translated headers.
COLUMNS = ("company_name", "office_code", "user_code", "start_date", "deadline", "days_left")


@dataclass(frozen=True)
class MatrixRow:
    applicant_id: int
    application_id: int
    company_name: str
    office_code: str
    industries: tuple[str, ...]
    start_date: date
    deadline: date               # system settings complete by the end of this day
    days_left: int               # business days from today to the deadline; negative when past
    registration: RegistrationRow  # the 利用者コード's ○/× as 契約内容確認 shows it

    @property
    def user_code(self) -> str:
        return self.registration.user_code

    @property
    def items(self) -> dict[str, bool]:
        return self.registration.items

    @property
    def complete(self) -> bool:
        return self.registration.complete

    def mark(self, item: str) -> str:
        return self.registration.mark(item)


@dataclass(frozen=True)
class MatrixPage:
    columns: tuple[str, ...]     # 名称 and every 業種 of the rows shown
    rows: tuple[MatrixRow, ...]
    total: int                   # rows matching the filters, over all pages


# The 企業名 shown and sorted on: the application's, else the temporary account's 会社名.
COMPANY = func.coalesce(func.nullif(Application.company_name, ""), Applicant.company_name)


def _industry_elements(dialect: str) -> TableValuedAlias:
    """The 利用者コード's 業種 (a JSON array) as rows with a `value` column, for a correlated EXISTS."""
    if dialect == "postgresql":
        return func.json_array_elements_text(UserCode.industries).table_valued("value").render_derived()
    return func.json_each(UserCode.industries).table_valued("value")


def _registered(item: ColumnElement[str] | str) -> Exists:
    # correlated to the 利用者コード of the query around it, however deep (not a second user_codes)
    return (exists().where(SystemSettingsRegistration.user_code_id == UserCode.id,
                           SystemSettingsRegistration.item == item)
            .correlate_except(SystemSettingsRegistration))


def _conditions(dialect: str, today: date, horizon_days: int, industry: str | None,
                incomplete_only: bool) -> list[ColumnElement[bool]]:
    conditions = [Application.kind == ApplicationKind.NEW_USAGE, Application.status == ApplicationStatus.APPROVED,
                  Application.start_date >= today, Application.start_date <= add_business_days(today, horizon_days),
                  is_live(), Applicant.status.not_in(STOPPED)]  # not cut, not 解約, code not retired
    if industry:
        elements = _industry_elements(dialect)
        conditions.append(exists(select(1).select_from(elements).where(elements.c.value == industry)))
    if incomplete_only:  # a × left: 名称 or one of its 業種 not registered (RegistrationRow.complete)
        elements = _industry_elements(dialect)
        conditions.append(or_(~_registered(NAME_ITEM),
                              exists(select(1).select_from(elements).where(~_registered(elements.c.value)))))
    return conditions


def _order(dialect: str, sort: str) -> tuple[Any, ...]:
    """The days left to the deadline only grow with the 利用開始日, so the 利用開始日 sorts them.
    Text sorts by code point on both databases (PostgreSQL's collation would order Japanese otherwise)."""
    def text(column: Any) -> Any:
        return column.collate("C") if dialect == "postgresql" else column
    if sort == "company":
        return text(COMPANY), text(UserCode.user_code)
    if sort == "-days_left":
        return Application.start_date.desc(), text(UserCode.user_code).desc()
    return Application.start_date, text(UserCode.user_code)


def _joined(stmt: Select) -> Select:
    return (stmt.join(Application, Application.id == UserCode.application_id)
            .join(Applicant, Applicant.id == UserCode.applicant_id))


def settings_matrix(actor: Actor, *, horizon_days: int = 10, industry: str | None = None,
                    incomplete_only: bool = False, sort: str = "days_left", page: int = 1, page_size: int = 50,
                    uow: UnitOfWork | None = None) -> MatrixPage:
    require_role(actor, *VIEWER_ROLES)
    horizon_days = max(0, min(int(horizon_days), MAX_HORIZON_DAYS))
    sort = sort if sort in SORTS else "days_left"
    page_size = max(1, page_size)
    today = clock.today_jst()
    with (uow or UnitOfWork()) as u:
        s = u.session
        dialect = s.get_bind().dialect.name
        conditions = _conditions(dialect, today, horizon_days, industry, incomplete_only)
        total = s.scalar(_joined(select(func.count()).select_from(UserCode)).where(*conditions)) or 0
        found = s.execute(_joined(select(UserCode, Application.id, Application.start_date, COMPANY,
                                         Applicant.office_code).select_from(UserCode))
                          .where(*conditions).order_by(*_order(dialect, sort))
                          .offset((max(1, page) - 1) * page_size).limit(page_size)).all()
        registered = registrations.registered(s, [uc.id for uc, *_ in found])
        rows = []
        for uc, app_id, start_date, company, office_code in found:
            assert start_date is not None  # the query asks for a start date in range
            due = deadlines.system_settings_deadline(start_date)
            rows.append(MatrixRow(uc.applicant_id, app_id, company, office_code or "",
                                  tuple(str(i) for i in uc.industries or []), start_date, due,
                                  deadlines.business_days_left(due, today),
                                  registrations.row_for(uc, registered.get(uc.id, {}))))
    columns: dict[str, None] = {NAME_ITEM: None}
    for r in rows:
        columns.update(dict.fromkeys(r.items))
    return MatrixPage(tuple(columns), tuple(rows), total)


def matrix_csv(actor: Actor, *, headers: dict[str, str] | None = None, **filters) -> bytes:
    """Every row matching the filters (not one page), UTF-8 with BOM, cells formula-safe."""
    everything = settings_matrix(actor, page=1, page_size=10**9, **filters)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row([(headers or {}).get(c, c) for c in COLUMNS] + list(everything.columns)))
    for r in everything.rows:
        writer.writerow(safe_row([r.company_name, r.office_code, r.user_code, r.start_date.isoformat(),
                                  r.deadline.isoformat(), r.days_left] + [r.mark(c) for c in everything.columns]))
    return (BOM + buffer.getvalue()).encode("utf-8")
