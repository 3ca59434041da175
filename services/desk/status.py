"""The caller's NEXT STEP, worked out from the latest application (or its absence).

Services return a code and parameters; the desk page words it (desk.next.<code> in locales).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, ApplicationSection, UserCode
from db.reference import REVIEW_DEADLINES
from services import clock
from services.calendar import add_business_days
from services.workflow import APPROVED, DRAFT, IN_REVIEW, REJECTED, RETURNED, SUBMITTED

# SPEC §2.2: the 新規利用申込 has nine 詳細入力画面 before the 入力確認画面.
DETAIL_SCREEN_COUNT = 9
COMPLETE = "COMPLETE"
REVIEW_SCREEN = "review_screen"  # the 入力確認画面 is not one of the nine
_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

_CODE_BY_STATUS = {
    SUBMITTED: "awaiting_review",
    IN_REVIEW: "in_review",
    RETURNED: "returned",
    REJECTED: "rejected",
}


@dataclass(frozen=True)
class NextStep:
    code: str                       # desk.next.<code>
    params: dict[str, Any] = field(default_factory=dict)
    application_status: str | None = None
    application_id: int | None = None
    application_kind: str | None = None


def _jst(moment) -> str:
    return moment.astimezone(clock.JST).strftime(_DATETIME_FORMAT)


def _latest_applications(s: Session, applicant_ids: list[int]) -> dict[int, Application]:
    latest: dict[int, Application] = {}
    rows = s.scalars(select(Application).where(Application.applicant_id.in_(applicant_ids))
                     .order_by(Application.applicant_id, Application.id.desc()))
    for app in rows:
        latest.setdefault(app.applicant_id, app)
    return latest


def _completed_screens(s: Session, application_ids: list[int]) -> dict[int, int]:
    if not application_ids:
        return {}
    rows = s.execute(select(ApplicationSection.application_id, func.count())
                     .where(ApplicationSection.application_id.in_(application_ids),
                            ApplicationSection.status == COMPLETE,
                            ApplicationSection.section_key != REVIEW_SCREEN)
                     .group_by(ApplicationSection.application_id))
    return {app_id: n for app_id, n in rows}


def _settings_pending(s: Session, applicant_ids: list[int]) -> dict[int, int]:
    """利用者コード whose システム設定申込 is not complete yet, per approved applicant."""
    if not applicant_ids:
        return {}
    rows = s.execute(select(UserCode.applicant_id, func.count())
                     .where(UserCode.applicant_id.in_(applicant_ids), UserCode.settings_completed_at.is_(None))
                     .group_by(UserCode.applicant_id))
    return {applicant_id: n for applicant_id, n in rows}


def _approved(app: Application, pending: int) -> tuple[str, dict[str, Any]]:
    if app.start_date is None:
        return "approved", {"start_date": "-"}
    params = {"start_date": app.start_date.isoformat()}
    if pending:
        days = REVIEW_DEADLINES["system_settings_days_before_start"]
        deadline = add_business_days(app.start_date, -days)
        return "settings_pending", {**params, "pending": pending, "deadline": deadline.isoformat()}
    return "approved", params


def _step(applicant: Applicant, app: Application | None, completed: dict[int, int],
          pending: dict[int, int]) -> NextStep:
    if app is None:
        if applicant.office_code is None and applicant.temp_expires_at <= clock.now():
            return NextStep("temp_expired", {"expires": _jst(applicant.temp_expires_at)})
        return NextStep("not_started", {"expires": _jst(applicant.temp_expires_at)})
    common = {"application_status": app.status, "application_id": app.id, "application_kind": app.kind}
    if app.status == DRAFT:
        done = min(completed.get(app.id, 0), DETAIL_SCREEN_COUNT)
        return NextStep("drafting", {"done": done, "total": DETAIL_SCREEN_COUNT}, **common)
    if app.status == APPROVED:
        code, params = _approved(app, pending.get(applicant.id, 0))
        return NextStep(code, params, **common)
    return NextStep(_CODE_BY_STATUS.get(app.status, "unknown"), {"status": app.status}, **common)


def next_steps(s: Session, applicants: list[Applicant]) -> dict[int, NextStep]:
    """For a page of applicants: three small queries, whatever the number of rows (at most one page)."""
    ids = [a.id for a in applicants]
    if not ids:
        return {}
    latest = _latest_applications(s, ids)
    completed = _completed_screens(s, [a.id for a in latest.values() if a.status == DRAFT])
    pending = _settings_pending(s, [a.applicant_id for a in latest.values() if a.status == APPROVED])
    return {a.id: _step(a, latest.get(a.id), completed, pending) for a in applicants}
