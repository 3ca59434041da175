"""The caller's NEXT STEP, worked out from the latest application (or its absence).

Services return a code and parameters (dates and moments as such); the desk page words it
(desk.next.<code> in locales) and formats the dates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, null, select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, ApplicationSection, UserCode
from services import clock
from services.applicant_status import ApplicantStatus
from services.application.sections import LINE, OFFICE, REVIEW_SCREEN, context_of, input_progress
from services.deadlines import system_settings_deadline
from services.system_settings.registrations import is_live
from services.workflow import ApplicationKind, ApplicationStatus

# The screens whose data decides which other screens apply (接続形態, 処理方式).
_CHOICE_SCREENS = (OFFICE, LINE)

_CODE_BY_STATUS: dict[str, str] = {  # looked up with the stored status value
    ApplicationStatus.SUBMITTED: "awaiting_review",
    ApplicationStatus.IN_REVIEW: "in_review",
    ApplicationStatus.RETURNED: "returned",
    ApplicationStatus.REJECTED: "rejected",
}


@dataclass(frozen=True)
class NextStep:
    code: str                       # desk.next.<code>
    params: dict[str, Any] = field(default_factory=dict)
    application_status: str | None = None
    application_id: int | None = None
    application_kind: str | None = None


def _latest_applications(s: Session, applicant_ids: list[int]) -> dict[int, Application]:
    """The 新規利用申込 (システム設定申込 are per 利用者コード: _settings_pending counts them).
    The kind is checked here, not in SQL: SQLite (no statistics) took `kind = ?` for the better
    index and read every 新規利用申込 (550 ms at 1M) instead of the page's applicants' few rows."""
    latest: dict[int, Application] = {}
    rows = s.scalars(select(Application).where(Application.applicant_id.in_(applicant_ids))
                     .order_by(Application.applicant_id, Application.id.desc()))
    for app in rows:
        if app.kind == ApplicationKind.NEW_USAGE:
            latest.setdefault(app.applicant_id, app)
    return latest


def _draft_progress(s: Session, drafts: list[Application]) -> dict[int, tuple[int, int]]:
    """(入力済, applicable) 詳細入力画面 per draft, by the wizard's own definitions.

    One query for the whole page: every screen's stored 入力状況 (the wizard keeps it true to the
    current 接続形態 / 処理方式 on each save), and the data of only the two screens that decide which
    screens apply — not the other screens' JSON, which can be long (logical terminal rows)."""
    if not drafts:
        return {}
    choice_data = case((ApplicationSection.section_key.in_(_CHOICE_SCREENS), ApplicationSection.data),
                       else_=null())
    rows = s.execute(select(ApplicationSection.application_id, ApplicationSection.section_key,
                            ApplicationSection.status, choice_data)
                     .where(ApplicationSection.application_id.in_([a.id for a in drafts]),
                            ApplicationSection.section_key != REVIEW_SCREEN))
    statuses: dict[int, dict[str, str]] = {a.id: {} for a in drafts}
    data: dict[int, dict[str, dict]] = {a.id: {} for a in drafts}
    for app_id, key, status, section_data in rows:
        statuses[app_id][key] = status
        if key in _CHOICE_SCREENS:
            data[app_id][key] = section_data or {}
    return {a.id: input_progress(statuses[a.id], context_of(data[a.id], a.shared_use)) for a in drafts}


def _settings_pending(s: Session, applicant_ids: list[int]) -> dict[int, int]:
    """利用者コード whose システム設定申込 is not complete yet, per approved applicant."""
    if not applicant_ids:
        return {}
    rows = s.execute(select(UserCode.applicant_id, func.count())
                     .where(UserCode.applicant_id.in_(applicant_ids), UserCode.settings_completed_at.is_(None),
                            is_live())
                     .group_by(UserCode.applicant_id))
    return {applicant_id: n for applicant_id, n in rows}


def _approved(app: Application, pending: int) -> tuple[str, dict[str, Any]]:
    if app.start_date is None:
        return "approved", {"start_date": None}
    params = {"start_date": app.start_date}
    if pending:
        deadline = system_settings_deadline(app.start_date)
        return "settings_pending", {**params, "pending": pending, "deadline": deadline}
    return "approved", params


def _step(applicant: Applicant, app: Application | None, progress: dict[int, tuple[int, int]],
          pending: dict[int, int]) -> NextStep:
    if app is None:
        if applicant.office_code is None and applicant.temp_expires_at <= clock.now():
            return NextStep("temp_expired", {"expires": applicant.temp_expires_at})
        return NextStep("not_started", {"expires": applicant.temp_expires_at})
    def step(code: str, params: dict[str, Any]) -> NextStep:
        return NextStep(code, params, application_status=app.status, application_id=app.id,
                        application_kind=app.kind)

    if app.status == ApplicationStatus.DRAFT:
        done, total = progress[app.id]
        return step("drafting", {"done": done, "total": total})
    if app.status == ApplicationStatus.APPROVED and applicant.status == ApplicantStatus.CONTRACT_ENDED:  # 解約 (services.cancellation)
        return step("contract_ended", {"cancelled_on": applicant.cancelled_at.astimezone(clock.JST).date()
                                       if applicant.cancelled_at else None})
    if app.status == ApplicationStatus.APPROVED and applicant.cancelled_at is not None:  # services.cutoff
        return step("approval_cancelled", {"cancelled_on": applicant.cancelled_at.astimezone(clock.JST).date()})
    if app.status == ApplicationStatus.APPROVED:
        return step(*_approved(app, pending.get(applicant.id, 0)))
    return step(_CODE_BY_STATUS.get(app.status, "unknown"), {"status": app.status})


def next_steps(s: Session, applicants: list[Applicant]) -> dict[int, NextStep]:
    """For a page of applicants: three small queries, whatever the number of rows (at most one page)."""
    ids = [a.id for a in applicants]
    if not ids:
        return {}
    latest = _latest_applications(s, ids)
    progress = _draft_progress(s, [a for a in latest.values() if a.status == ApplicationStatus.DRAFT])
    pending = _settings_pending(s, [a.applicant_id for a in latest.values() if a.status == ApplicationStatus.APPROVED])
    return {a.id: _step(a, latest.get(a.id), progress, pending) for a in applicants}
