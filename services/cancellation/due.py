"""Whether an approved 解約申込's 解約日 has come (JST), applied by its job or not yet.

The job (services.cancellation.effect.run_due) runs every few minutes and does the side effects:
logins deactivated, the 利用者コード retired, the audit, the mail. "Logins stop on that date" must
not wait for it, so the login, each page run's session check (services.auth) and every list of
codes in use (services.system_settings.registrations.is_live) ask these conditions as well: from
00:00 JST of the 解約日 exactly. Each is an EXISTS over the applications of one office or one code
(indexed by applicant_id / user_code_id: a handful of rows).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, aliased

from db.models import Application
from services import clock
from services.workflow import ApplicationKind, ApplicationStatus

# The cancellations are read through an alias, never correlated: the lists that ask these
# (the staff matrix, the ○/× table) join `applications` themselves, and an EXISTS over the same
# table would otherwise be correlated to the outer row and lose its own FROM.
_CANCELLATION = aliased(Application, name="cancellation")


def _approved_due(app, today: date | None) -> tuple[ColumnElement[bool], ...]:
    return (app.kind == ApplicationKind.CANCELLATION.value,
            app.status == ApplicationStatus.APPROVED.value,
            app.effective_date <= (today or clock.today_jst()))


def contract_ended(applicant_id, today: date | None = None) -> ColumnElement[bool]:
    """The office's whole contract is cancelled from today or earlier (`applicant_id`: a value or a column)."""
    c = _CANCELLATION
    return (exists().where(c.applicant_id == applicant_id, c.user_code_id.is_(None), *_approved_due(c, today))
            .correlate_except(c))


def user_code_cancelled(user_code_id, today: date | None = None) -> ColumnElement[bool]:
    """That 利用者コード is cancelled from today or earlier (`user_code_id`: a value or a column)."""
    c = _CANCELLATION
    return exists().where(c.user_code_id == user_code_id, *_approved_due(c, today)).correlate_except(c)


def cancelled_codes(s: Session, applicant_id: int, today: date | None = None) -> dict[int, date]:
    """user_code id → 解約日, of the office's 利用者コード cancelled from today or earlier."""
    rows = s.execute(select(Application.user_code_id, Application.effective_date).where(
        Application.applicant_id == applicant_id, Application.user_code_id.is_not(None), *_approved_due(Application, today)))
    return {code_id: day for code_id, day in rows.tuples() if code_id is not None and day is not None}
