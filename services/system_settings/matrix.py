"""The staff view of system settings across offices (beyond NSS): one row per 利用者コード of every
office whose 利用開始日 falls in the next N business days, with its ○/× per item, so the desk and
the reviewers can call the offices that are about to be cancelled (SPEC §2.5a).

The rows are bounded by the horizon (offices starting within a few business days), so they are read
in one query and filtered, sorted and paged here; the registrations come in one more query."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.models import Applicant, Application, SystemSettingsRegistration, UserCode
from services import clock, deadlines
from services.applicant_status import STOPPED
from services.authz import ADMIN, DESK, REVIEWER, Actor, require_role
from services.calendar import add_business_days
from services.exports import safe_row
from services.system_settings.registrations import NAME_ITEM, required_items
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
    user_code: str
    industries: tuple[str, ...]
    start_date: date
    deadline: date               # system settings complete by the end of this day
    days_left: int               # business days from today to the deadline; negative when past
    items: dict[str, bool]       # the 利用者コード's items: ○ True / × False

    @property
    def complete(self) -> bool:
        return all(self.items.values())

    def mark(self, item: str) -> str:
        if item not in self.items:
            return ""
        return "○" if self.items[item] else "×"


@dataclass(frozen=True)
class MatrixPage:
    columns: tuple[str, ...]     # 名称 and every 業種 of the rows shown
    rows: tuple[MatrixRow, ...]
    total: int                   # rows matching the filters, over all pages


def _rows(u: UnitOfWork, today: date, horizon_days: int) -> list[MatrixRow]:
    s = u.session
    last_start = add_business_days(today, horizon_days)
    found = s.execute(
        select(UserCode, Application.id, Application.start_date, Application.company_name,
               Applicant.company_name, Applicant.office_code)
        .join(Application, Application.id == UserCode.application_id)
        .join(Applicant, Applicant.id == UserCode.applicant_id)
        .where(Application.kind == ApplicationKind.NEW_USAGE, Application.status == ApplicationStatus.APPROVED,
               Application.start_date >= today, Application.start_date <= last_start,
               UserCode.retired_at.is_(None), Applicant.status.not_in(STOPPED))).all()  # not cut, not 解約
    code_ids = [uc.id for uc, *_ in found]
    registered: dict[int, set[str]] = {}
    for start in range(0, len(code_ids), 500):  # IN lists of bounded length
        for code_id, item in s.execute(select(SystemSettingsRegistration.user_code_id, SystemSettingsRegistration.item)
                                       .where(SystemSettingsRegistration.user_code_id.in_(code_ids[start:start + 500]))):
            registered.setdefault(code_id, set()).add(item)
    rows = []
    for uc, app_id, start_date, app_company, applicant_company, office_code in found:
        assert start_date is not None  # the query asks for a start date in range
        due = deadlines.system_settings_deadline(start_date)
        have = registered.get(uc.id, set())
        rows.append(MatrixRow(uc.applicant_id, app_id, app_company or applicant_company, office_code or "",
                              uc.user_code, tuple(str(i) for i in uc.industries or []), start_date, due,
                              deadlines.business_days_left(due, today),
                              {item: item in have for item in required_items(uc)}))
    return rows


def _sorted(rows: list[MatrixRow], sort: str) -> list[MatrixRow]:
    if sort == "company":
        return sorted(rows, key=lambda r: (r.company_name, r.user_code))
    reverse = sort == "-days_left"
    return sorted(rows, key=lambda r: (r.days_left, r.start_date, r.user_code), reverse=reverse)


def settings_matrix(actor: Actor, *, horizon_days: int = 10, industry: str | None = None,
                    incomplete_only: bool = False, sort: str = "days_left", page: int = 1, page_size: int = 50,
                    uow: UnitOfWork | None = None) -> MatrixPage:
    require_role(actor, *VIEWER_ROLES)
    horizon_days = max(0, min(int(horizon_days), MAX_HORIZON_DAYS))
    sort = sort if sort in SORTS else "days_left"
    with (uow or UnitOfWork()) as u:
        rows = _rows(u, clock.today_jst(), horizon_days)
    if industry:
        rows = [r for r in rows if industry in r.industries]
    if incomplete_only:
        rows = [r for r in rows if not r.complete]
    rows = _sorted(rows, sort)
    page_size = max(1, page_size)
    start = (max(1, page) - 1) * page_size
    shown = rows[start:start + page_size]
    columns: dict[str, None] = {NAME_ITEM: None}
    for r in shown:
        columns.update(dict.fromkeys(r.items))
    return MatrixPage(tuple(columns), tuple(shown), len(rows))


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
