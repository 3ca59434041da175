"""利用開始までのガイダンス (SPEC §2.3, §2.5a): the task list with 未済/済 and the deadlines."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from db.models import Applicant, Application, UserCode
from db.reference import REVIEW_DEADLINES
from db.uow import uow
from services import clock
from services.authz import Actor, require_applicant_access
from services.calendar import add_business_days
from services.errors import NotFound
from services.notices import password_shown_until

CERTIFICATE_MONTHS = 2                # netNACCS 電子証明書: within 2 months of 利用開始日

TEMP_ACCOUNT, NEW_USAGE, SYSTEM_SETTINGS = "temp_account", "new_usage", "system_settings"
NEW_USAGE_PAGE = "pages/applicant/application.py"
SYSTEM_SETTINGS_PAGE = "pages/applicant/system_settings.py"


@dataclass(frozen=True)
class Task:
    key: str                      # TEMP_ACCOUNT / NEW_USAGE / SYSTEM_SETTINGS
    done: bool
    page: str | None              # the procedure's page, None when there is nothing to open
    user_code: str | None = None  # system settings: one task per 利用者コード
    status: str | None = None     # the application's workflow status, when one exists


@dataclass(frozen=True)
class Deadline:
    key: str                      # temp_account / system_settings / id_notice / certificate
    due: date
    due_at: datetime | None       # the exact moment, when the rule has one (temporary account)
    days_left: int                # calendar days from today (JST); negative when past


@dataclass(frozen=True)
class Guidance:
    applicant_id: int
    company_name: str
    tasks: list[Task]
    deadlines: list[Deadline] = field(default_factory=list)
    start_date: date | None = None

    @property
    def done_count(self) -> int:
        return sum(t.done for t in self.tasks)

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def all_done(self) -> bool:
        return all(t.done for t in self.tasks)


def add_months(day: date, months: int) -> date:
    """Same day n months later, or that month's last day (1/31 + 1 month = 2/28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _deadline(key: str, due: date, due_at: datetime | None = None) -> Deadline:
    return Deadline(key, due, due_at, (due - clock.today_jst()).days)


def _newest_new_usage(s, applicant_id: int) -> Application | None:
    return s.scalar(select(Application).where(Application.applicant_id == applicant_id,
                                              Application.kind == "NEW_USAGE")
                    .order_by(Application.created_at.desc(), Application.id.desc()).limit(1))


def _tasks(app: Application | None, user_codes: list[UserCode]) -> list[Task]:
    tasks = [Task(TEMP_ACCOUNT, True, None),
             Task(NEW_USAGE, app is not None and app.status == "APPROVED", NEW_USAGE_PAGE,
                  status=app.status if app else None)]
    if not user_codes:  # 利用者コード are issued on approval; until then one line stands for them all
        return tasks + [Task(SYSTEM_SETTINGS, False, None)]
    return tasks + [Task(SYSTEM_SETTINGS, uc.settings_completed_at is not None, SYSTEM_SETTINGS_PAGE,
                         user_code=uc.user_code) for uc in user_codes]


def _deadlines(applicant: Applicant, app: Application | None, settings_done: bool) -> list[Deadline]:
    if app is None:  # the 48-hour rule only applies until the application is started
        expires = applicant.temp_expires_at
        return [_deadline("temp_account", expires.astimezone(clock.JST).date(), expires)]
    start = app.start_date if app.status == "APPROVED" else None
    if start is None:
        return []
    deadlines = []
    if not settings_done:
        before = REVIEW_DEADLINES["system_settings_days_before_start"]
        deadlines.append(_deadline("system_settings", add_business_days(start, -before)))
    deadlines.append(_deadline("id_notice", password_shown_until(start)))
    if app.connection_type == "NET":
        deadlines.append(_deadline("certificate", add_months(start, CERTIFICATE_MONTHS)))
    return deadlines


def guidance(actor: Actor, applicant_id: int) -> Guidance:
    require_applicant_access(actor, applicant_id)
    with uow() as s:
        applicant = s.get(Applicant, applicant_id)
        if applicant is None:
            raise NotFound()
        app = _newest_new_usage(s, applicant_id)
        user_codes = list(s.scalars(select(UserCode).where(UserCode.applicant_id == applicant_id)
                                    .order_by(UserCode.user_code)))
        tasks = _tasks(app, user_codes)
        settings_done = bool(user_codes) and all(t.done for t in tasks if t.key == SYSTEM_SETTINGS)
        return Guidance(applicant_id, applicant.company_name, tasks,
                        _deadlines(applicant, app, settings_done),
                        app.start_date if app and app.status == "APPROVED" else None)
