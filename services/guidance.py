"""利用開始までのガイダンス (SPEC §2.3, §2.5a): the task list with 未済/済 and the deadlines, and a
line for each later procedure still on its way (a 変更申込 or 解約申込 under review, an approved
変更申込 whose effective month is still ahead)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select

from db.models import Applicant, Application, ContractVersion
from services import clock, contract
from services import deadlines as deadline_rules
from services.applicant_status import ApplicantStatus
from services.authz import Actor, require_applicant_access
from services.system_settings.registrations import RegistrationTable, table_for
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind, ApplicationStatus


class GuidanceTask(StrEnum):
    """One procedure before NACCS can be used; the value names its label (guidance.task.<value>).
    Which page carries out each one is the UI's business (ui.nav.GUIDANCE_TASK_PAGES)."""
    TEMP_ACCOUNT = "temp_account"                         # 仮ログイン ID 登録
    NEW_USAGE = "new_usage"                               # 新規利用申込
    SYSTEM_SETTINGS_APPLICATION = "system_settings"       # システム設定申込, one per 利用者コード


@dataclass(frozen=True)
class Task:
    key: GuidanceTask
    done: bool
    user_code: str | None = None  # system settings: one task per 利用者コード; None until they are issued
    status: ApplicationStatus | str | None = None  # the application's workflow status, when one exists


@dataclass(frozen=True)
class Deadline:
    key: str                      # temp_account / system_settings / id_notice / certificate
    due: date
    due_at: datetime | None       # the exact moment, when the rule has one (temporary account)
    days_left: int                # business days from today (JST); negative when past


@dataclass(frozen=True)
class ProcedureLine:
    """A 変更申込 or 解約申込 on its way: under review, or (`applies_from`) an approved 変更申込 whose
    contract version starts later (the first day of its effective month)."""
    kind: str
    ref_no: str | None
    applies_from: date | None = None


UNDER_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)


@dataclass(frozen=True)
class Guidance:
    applicant_id: int
    company_name: str
    tasks: list[Task]
    deadlines: list[Deadline] = field(default_factory=list)
    start_date: date | None = None
    cancelled_on: date | None = None  # the cut-off cancelled the approval (services.cutoff), JST day
    contract_ended: bool = False      # ... or rather a 解約申込 ended the contract on that day (services.cancellation)
    procedures: list[ProcedureLine] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(t.done for t in self.tasks)

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def all_done(self) -> bool:
        return all(t.done for t in self.tasks)


def _deadline(key: str, due: date, due_at: datetime | None = None) -> Deadline:
    return Deadline(key, due, due_at, deadline_rules.business_days_left(due))


def _newest_new_usage(s, applicant_id: int) -> Application | None:
    return s.scalar(select(Application).where(Application.applicant_id == applicant_id,
                                              Application.kind == ApplicationKind.NEW_USAGE)
                    .order_by(Application.created_at.desc(), Application.id.desc()).limit(1))


def _tasks(app: Application | None, registrations: RegistrationTable) -> list[Task]:
    """One system-settings line per 利用者コード, 済 when its row of 契約内容確認's table has no ×
    (the same data the table shows)."""
    tasks = [Task(GuidanceTask.TEMP_ACCOUNT, True),
             Task(GuidanceTask.NEW_USAGE, app is not None and app.status == ApplicationStatus.APPROVED,
                  status=app.status if app else None)]
    if not registrations.rows:  # 利用者コード are issued on approval; until then one line stands for them all
        return tasks + [Task(GuidanceTask.SYSTEM_SETTINGS_APPLICATION, False)]
    return tasks + [Task(GuidanceTask.SYSTEM_SETTINGS_APPLICATION, row.complete, user_code=row.user_code)
                    for row in registrations.rows]


def _deadlines(applicant: Applicant, app: Application | None, settings_done: bool,
               certificate_from: date | None) -> list[Deadline]:
    if app is None:  # the 48-hour rule only applies until the application is started
        expires = applicant.temp_expires_at
        return [_deadline("temp_account", expires.astimezone(clock.JST).date(), expires)]
    start = app.start_date if app.status == ApplicationStatus.APPROVED else None
    if start is None:
        return []
    deadlines = []
    if not settings_done:
        deadlines.append(_deadline("system_settings", deadline_rules.system_settings_deadline(start)))
    deadlines.append(_deadline("id_notice", deadline_rules.id_notice_display_until(start)))
    if certificate_from is not None:  # netNACCS in the contract (from the start, or added by a 変更申込)
        deadlines.append(_deadline("certificate", deadline_rules.certificate_deadline(certificate_from)))
    return deadlines


def _certificate_from(s, app: Application | None) -> date | None:
    if app is None or app.status != ApplicationStatus.APPROVED:
        return None
    return contract.net_since(contract.versions(s, app.applicant_id), clock.today_jst())


def _procedure_lines(s, applicant_id: int) -> list[ProcedureLine]:
    """Under review first (oldest first), then the approved changes still to come (soonest first)."""
    reviewed = s.execute(select(Application.kind, Application.ref_no).where(
        Application.applicant_id == applicant_id,
        Application.kind.in_([ApplicationKind.CHANGE.value, ApplicationKind.CANCELLATION.value]),
        Application.status.in_([st.value for st in UNDER_REVIEW])).order_by(Application.id))
    coming = s.execute(select(Application.ref_no, ContractVersion.valid_from)
                       .join(Application, Application.id == ContractVersion.application_id)
                       .where(ContractVersion.applicant_id == applicant_id,
                              ContractVersion.valid_from > clock.today_jst())
                       .order_by(ContractVersion.valid_from, ContractVersion.id))
    return ([ProcedureLine(kind, ref_no) for kind, ref_no in reviewed.tuples()]
            + [ProcedureLine(ApplicationKind.CHANGE, ref_no, day) for ref_no, day in coming.tuples()])


def guidance(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> Guidance:
    require_applicant_access(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        s = u.session
        applicant = get_or_raise(s, Applicant, applicant_id)
        app = _newest_new_usage(s, applicant_id)
        registrations = table_for(s, applicant_id)
        tasks = _tasks(app, registrations)
        settings_done = registrations.complete
        cancelled_on = deadline_rules.jst_date(applicant.cancelled_at) if applicant.cancelled_at else None
        return Guidance(applicant_id, applicant.company_name, tasks,
                        [] if cancelled_on else _deadlines(applicant, app, settings_done, _certificate_from(s, app)),
                        app.start_date if app and app.status == ApplicationStatus.APPROVED else None,
                        cancelled_on, applicant.status == ApplicantStatus.CONTRACT_ENDED,
                        _procedure_lines(s, applicant_id))
