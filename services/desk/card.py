"""The top of the caller's record (the desk worker on the phone): the status, the one thing to tell
the caller next, each deadline that applies now, and the wizard screen the caller is on.

The rules are here; the desk page words them (desk.tell.<code>, desk.deadline.<kind>) and draws
each deadline with ui.format.countdown.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from db.models import Applicant, Application
from services import clock, contract, deadlines
from services.application.navigator import WizardNavigator
from services.application.read import ApplicationView, build_view
from services.authz import DESK, Actor, require_role
from services.desk.status import NextStep, next_steps
from services.uow import UnitOfWork, get_or_raise
from services.workflow import EDITABLE_BY_APPLICANT, ApplicationKind, ApplicationStatus


class CardDeadline(StrEnum):
    """The deadlines of SPEC §2.5a (and the review's own) a caller may ask about."""
    TEMP_ACCOUNT = "TEMP_ACCOUNT"            # start the 新規利用申込 before the 仮ログイン ID lapses
    REVIEW_DUE = "REVIEW_DUE"                # the review's target date (審査期限)
    SYSTEM_SETTINGS = "SYSTEM_SETTINGS"      # every システム設定申込 done, or the approval is cancelled
    START_DATE = "START_DATE"                # 利用開始日
    ID_NOTICE = "ID_NOTICE"                  # the 事業所パスワード shows in 新着情報 until then
    CERTIFICATE = "CERTIFICATE"              # netNACCS 電子証明書 obtained by then


@dataclass(frozen=True)
class Deadline:
    kind: CardDeadline
    due: date | datetime                     # a moment (datetime) counts down in hours


@dataclass(frozen=True)
class CallerCard:
    application_status: str | None           # None before any application
    tell: str                                # desk.tell.<code>: the next thing to tell the caller
    params: dict[str, Any] = field(default_factory=dict)
    deadlines: list[Deadline] = field(default_factory=list)
    wizard_screen: str | None = None         # the screen the wizard opens on, while the caller can enter
    wizard_screen_label_key: str | None = None


def _open_screen(view: ApplicationView) -> tuple[str, str]:
    key = WizardNavigator(view).opening_screen()
    return key, view.section(key).label_key


def _approved(step: NextStep, app: Application, applicant: Applicant,
              certificate_from: date | None) -> tuple[str, dict[str, Any], list[Deadline]]:
    start = app.start_date
    if start is None:
        return "approved_no_start", {}, []
    dates = [Deadline(CardDeadline.START_DATE, start)]
    if step.code == "settings_pending":
        dates.insert(0, Deadline(CardDeadline.SYSTEM_SETTINGS, deadlines.system_settings_deadline(start)))
    until = deadlines.id_notice_display_until(start)
    if deadlines.business_days_left(until) >= 0:
        dates.append(Deadline(CardDeadline.ID_NOTICE, until))
    if certificate_from is not None:  # netNACCS in the contract (from the start, or added by a 変更申込)
        dates.append(Deadline(CardDeadline.CERTIFICATE, deadlines.certificate_deadline(certificate_from)))
    params: dict[str, Any] = {"start_date": start, "office_code": applicant.office_code or ""}
    if step.code == "settings_pending":
        return "settings_pending", {**params, "pending": step.params["pending"],
                                    "deadline": deadlines.system_settings_deadline(start)}, dates
    return "approved", params, dates


def _card(step: NextStep, applicant: Applicant, app: Application | None, view: ApplicationView | None,
          certificate_from: date | None = None) -> CallerCard:
    if app is None:
        if step.code == "temp_expired":
            return CallerCard(None, "temp_expired", {"expires": applicant.temp_expires_at})
        return CallerCard(None, "not_started", {"expires": applicant.temp_expires_at},
                          [Deadline(CardDeadline.TEMP_ACCOUNT, applicant.temp_expires_at)])
    status = app.status
    if view is not None:
        screen, label = _open_screen(view)
        if status == ApplicationStatus.RETURNED:
            to_fix = sum(1 for s in view.applicable() if s.needs_correction)
            return CallerCard(status, "returned", {"to_fix": to_fix}, [], screen, label)
        done, total = step.params.get("done", 0), step.params.get("total", 0)
        code = "drafting" if done < total else "drafting_complete"
        return CallerCard(status, code, {"left": total - done, "done": done, "total": total}, [], screen, label)
    if status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW) and app.submitted_at is not None:
        due = deadlines.due_date(app.submitted_at)
        return CallerCard(status, "in_review", {"due": due}, [Deadline(CardDeadline.REVIEW_DUE, due)])
    if status == ApplicationStatus.APPROVED and step.code == "contract_ended":  # 解約: the history stays readable
        return CallerCard(status, "contract_ended", dict(step.params))
    if status == ApplicationStatus.APPROVED and applicant.cancelled_at is not None and app.start_date is not None:
        # Cut by services.cutoff: nothing left to do but apply again.
        return CallerCard(status, "approval_cancelled",
                          {"deadline": deadlines.system_settings_deadline(app.start_date),
                           "cancelled_on": deadlines.jst_date(applicant.cancelled_at)})
    if status == ApplicationStatus.APPROVED:
        code, params, dates = _approved(step, app, applicant, certificate_from)
        return CallerCard(status, code, params, dates)
    if status == ApplicationStatus.REJECTED:
        return CallerCard(status, "rejected")
    return CallerCard(status, "unknown", {"status": status})


def caller_card(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> CallerCard:
    require_role(actor, DESK)
    with (uow or UnitOfWork()) as u:
        s = u.session
        applicant = get_or_raise(s, Applicant, applicant_id)
        step = next_steps(s, [applicant])[applicant.id]
        app = s.get(Application, step.application_id) if step.application_id is not None else None
        # The wizard is the 新規利用申込's: only its screens have a place to open on.
        view = build_view(s, app) if (app is not None and app.kind == ApplicationKind.NEW_USAGE
                                      and app.status in EDITABLE_BY_APPLICANT) else None
        approved = app is not None and app.status == ApplicationStatus.APPROVED
        since = contract.net_since(contract.versions(s, applicant_id), clock.today_jst()) if approved else None
        return _card(step, applicant, app, view, since)
