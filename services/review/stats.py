"""The dashboard's figures at a glance: every number is one SQL aggregate, never a table scan in Python."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import pandas as pd
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, UserCode
from services import clock, cutoff, deadlines, reference_data
from services.applicant_status import STOPPED, ApplicantStatus
from services.authz import Actor, require_role
from services.calendar import add_business_days
from services.review.open_queue import is_open, via_open_index
from services.review.queue import COMPANY_NAME, VIEWER_ROLES
from services.system_settings.registrations import is_live
from services.uow import UnitOfWork
from services.workflow import OPEN_FOR_REVIEW, ApplicationKind, ApplicationStatus

DAYS = 30
DEADLINE_LIST_LIMIT = 20
CANCELLED_SHOWN_DAYS = 30  # how long a cancelled office stays in the deadline list


class DeadlineKind(StrEnum):
    """The dashboard's deadline lists."""
    TEMP_ACCOUNT_EXPIRY = "TEMP_ACCOUNT_EXPIRY"    # a temporary account expires before any application
    SYSTEM_SETTINGS_DUE = "SYSTEM_SETTINGS_DUE"    # システム設定 still missing close to its deadline
    ID_NOTICE_DISPLAY = "ID_NOTICE_DISPLAY"        # the ID notice's password stops showing soon
    APPROVAL_CANCELLED = "APPROVAL_CANCELLED"      # cut by the system-settings cut-off (services.cutoff) lately


@dataclass(frozen=True)
class DeadlineItem:
    kind: DeadlineKind
    applicant_id: int
    company_name: str
    reference: str            # 仮ログイン ID, 事業所コード or 受付番号
    due: datetime | date      # expiry moment, settings deadline, or last day the password shows
    application_id: int | None = None
    detail: int | None = None  # SYSTEM_SETTINGS_DUE, APPROVAL_CANCELLED: 利用者コード without settings
    cut_on: date | None = None  # SYSTEM_SETTINGS_DUE: the day the cut-off cancels it; APPROVAL_CANCELLED: the day it did


@dataclass(frozen=True)
class DashboardStats:
    open_by_status: dict[str, int]     # SUBMITTED / IN_REVIEW, and RETURNED (waiting for the applicant)
    oldest_waiting_at: datetime | None
    oldest_waiting_id: int | None
    oldest_waiting_ref: str | None
    mine_open: int
    unassigned_open: int
    overdue: int
    due_soon: int
    daily: pd.DataFrame        # columns: date, submitted, approved (one row per day, oldest first)
    deadlines: list[DeadlineItem]
    deadline_counts: dict[DeadlineKind, int]


def _jst_day(s: Session, column):
    """The JST calendar date of a UTC timestamp column, per dialect."""
    if s.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Tokyo", column))
    return func.date(column, "+9 hours")


def _per_day(s: Session, column, since: datetime, *conditions) -> dict[str, int]:
    day = _jst_day(s, column)
    rows = s.execute(select(day, func.count()).where(column >= since, *conditions).group_by(day))
    return {str(d): n for d, n in rows}


def _daily(s: Session, today: date) -> pd.DataFrame:
    first = today - timedelta(days=DAYS - 1)
    since = deadlines.jst_midnight_utc(first)
    submitted = _per_day(s, Application.submitted_at, since)
    approved = _per_day(s, Application.decided_at, since, Application.status == ApplicationStatus.APPROVED)
    days = [first + timedelta(days=i) for i in range(DAYS)]
    return pd.DataFrame({"date": days,
                         "submitted": [submitted.get(d.isoformat(), 0) for d in days],
                         "approved": [approved.get(d.isoformat(), 0) for d in days]})


def _expiring_temp_accounts(s: Session, now: datetime):
    window = (Applicant.temp_expires_at > now,
              Applicant.temp_expires_at <= now + timedelta(hours=reference_data.current().deadline("temp_expiry_warning_hours")),
              ~exists().where(Application.applicant_id == Applicant.id))
    count = s.scalar(select(func.count()).select_from(Applicant).where(*window))
    rows = s.execute(select(Applicant.id, Applicant.company_name, Applicant.temp_login_id, Applicant.temp_expires_at)
                     .where(*window).order_by(Applicant.temp_expires_at).limit(DEADLINE_LIST_LIMIT))
    return count, [DeadlineItem(DeadlineKind.TEMP_ACCOUNT_EXPIRY, r.id, r.company_name, r.temp_login_id,
                                r.temp_expires_at) for r in rows]


def _pending_system_settings(s: Session, today: date):
    """Offices with a 利用者コード lacking システム設定 whose deadline is near or passed, before the start date."""
    horizon = add_business_days(today, reference_data.current().deadline("dashboard_horizon_days"))
    latest_start = add_business_days(horizon, reference_data.current().deadline("system_settings_days_before_start"))
    # An office already cut (APPROVAL_CANCELLED) or whose contract ended (解約) is no longer at risk; one past its deadline but not
    # yet cut (the job has not run since) still is, and shows the day it is cut.
    # Per application: does it have a code still lacking its settings (EXISTS), and how many
    # (a correlated count), both from the partial index ix_user_codes_settings_pending. A join with
    # every code and a DISTINCT count took 55 + 91 ms at 1M (SQLite); this ~0.1 ms (issue 9).
    pending_codes = (UserCode.application_id == Application.id, UserCode.settings_completed_at.is_(None), is_live())
    window = (Application.status == ApplicationStatus.APPROVED, Application.start_date >= today,
              Application.start_date <= latest_start, exists().where(*pending_codes),
              Applicant.status.not_in(STOPPED))
    count = s.scalar(select(func.count()).select_from(Application)
                     .join(Applicant, Applicant.id == Application.applicant_id).where(*window))
    pending = select(func.count(UserCode.id)).where(*pending_codes).correlate(Application).scalar_subquery()
    rows = s.execute(select(Application.id, Application.applicant_id, Application.start_date,
                            COMPANY_NAME.label("company_name"), Applicant.office_code, pending)
                     .join(Applicant, Applicant.id == Application.applicant_id)
                     .where(*window)
                     .order_by(Application.start_date, Application.id).limit(DEADLINE_LIST_LIMIT))
    return count, [DeadlineItem(DeadlineKind.SYSTEM_SETTINGS_DUE, r.applicant_id, r.company_name, r.office_code or "",
                                deadlines.system_settings_deadline(r.start_date), r.id, r[5],
                                cutoff.cutoff_day(r.start_date)) for r in rows]


def _cancelled_offices(s: Session, now: datetime):
    """Offices the cut-off cancelled within the last CANCELLED_SHOWN_DAYS, newest first."""
    window = (Applicant.status == ApplicantStatus.CANCELLED,
              Applicant.cancelled_at >= now - timedelta(days=CANCELLED_SHOWN_DAYS))
    count = s.scalar(select(func.count()).select_from(Applicant).where(*window))
    pending = (select(func.count(UserCode.id)).where(UserCode.applicant_id == Applicant.id,
                                                     UserCode.settings_completed_at.is_(None))
               .correlate(Applicant).scalar_subquery())
    rows = s.execute(select(Application.id, Application.applicant_id, Application.start_date,
                            COMPANY_NAME.label("company_name"), Applicant.office_code, Applicant.cancelled_at,
                            pending.label("pending"))
                     .join(Applicant, Applicant.id == Application.applicant_id)
                     .where(*window, Application.kind == ApplicationKind.NEW_USAGE,
                            Application.status == ApplicationStatus.APPROVED)
                     .order_by(Applicant.cancelled_at.desc(), Application.id.desc()).limit(DEADLINE_LIST_LIMIT))
    return count, [DeadlineItem(DeadlineKind.APPROVAL_CANCELLED, r.applicant_id, r.company_name, r.office_code or "",
                                deadlines.system_settings_deadline(r.start_date), r.id, r.pending,
                                deadlines.jst_date(r.cancelled_at)) for r in rows]


def _ending_id_notices(s: Session, today: date):
    """ID notices whose password stops showing within the coming business days (or today)."""
    earliest = add_business_days(today, -reference_data.current().deadline("id_notice_days_after_start"))
    window = (Application.status == ApplicationStatus.APPROVED, Application.kind == ApplicationKind.NEW_USAGE,
              Application.start_date >= earliest, Application.start_date <= today,
              Applicant.status != ApplicantStatus.CANCELLED)
    count = s.scalar(select(func.count()).select_from(Application)
                     .join(Applicant, Applicant.id == Application.applicant_id).where(*window))
    rows = s.execute(select(Application.id, Application.applicant_id, Application.start_date,
                            COMPANY_NAME.label("company_name"), Applicant.office_code)
                     .join(Applicant, Applicant.id == Application.applicant_id)
                     .where(*window).order_by(Application.start_date, Application.id).limit(DEADLINE_LIST_LIMIT))
    return count, [DeadlineItem(DeadlineKind.ID_NOTICE_DISPLAY, r.applicant_id, r.company_name, r.office_code or "",
                                deadlines.id_notice_display_until(r.start_date), r.id) for r in rows]


def _open_figures(s: Session, actor: Actor) -> dict:
    """Figures over the open applications only, each read from the open queue's partial index."""
    def count(*conditions) -> int:
        return s.scalar(via_open_index(select(func.count()).select_from(Application).where(is_open(), *conditions)))
    oldest = s.execute(via_open_index(select(Application.id, Application.ref_no, Application.submitted_at)
                                      .where(is_open()).order_by(Application.submitted_at, Application.id)
                                      .limit(1))).first()
    return {
        "oldest_waiting_at": oldest.submitted_at if oldest else None,
        "oldest_waiting_id": oldest.id if oldest else None,
        "oldest_waiting_ref": oldest.ref_no if oldest else None,
        "mine_open": count(Application.assignee_id == actor.user_id),
        "unassigned_open": count(Application.assignee_id.is_(None)),
        "overdue": count(Application.submitted_at < deadlines.overdue_cutoff()),
        "due_soon": count(Application.submitted_at >= deadlines.overdue_cutoff(),
                          Application.submitted_at < deadlines.due_soon_cutoff()),
    }


def dashboard_stats(actor: Actor, *, uow: UnitOfWork | None = None) -> DashboardStats:
    require_role(actor, *VIEWER_ROLES)
    today, now = clock.today_jst(), clock.now()
    with (uow or UnitOfWork()) as u:
        s = u.session
        # Only the open statuses: decided applications pile up forever and are not "items".
        by_status = dict(s.execute(select(Application.status, func.count())
                                   .where(Application.status.in_((*OPEN_FOR_REVIEW, ApplicationStatus.RETURNED)))
                                   .group_by(Application.status)).all())
        temp_n, temp = _expiring_temp_accounts(s, now)
        settings_n, settings_items = _pending_system_settings(s, today)
        notice_n, notices = _ending_id_notices(s, today)
        cancelled_n, cancelled = _cancelled_offices(s, now)
        return DashboardStats(
            open_by_status=by_status, daily=_daily(s, today), **_open_figures(s, actor),
            deadlines=temp + settings_items + cancelled + notices,
            deadline_counts={DeadlineKind.TEMP_ACCOUNT_EXPIRY: temp_n, DeadlineKind.SYSTEM_SETTINGS_DUE: settings_n,
                             DeadlineKind.APPROVAL_CANCELLED: cancelled_n, DeadlineKind.ID_NOTICE_DISPLAY: notice_n})
