"""契約内容確認 (SPEC §2.4, §2.6): what an office has contracted — read from its approved
新規利用申込 and the 利用者コード issued on approval — and the registration status of its system
settings (services.system_settings.registrations, the one place that decides ○ and ×).

The contract keeps its history (`versions`): the approved 新規利用申込 is the first version, from
its 利用開始日; each approved 変更申込 adds one (db.models.ContractVersion) from the first day of its
effective month, holding every screen of the contract as it then stands. What was in force on a day
is the last version that started on or before it (`version_on`); the current contract is today's."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, ApplicationSection, ContractVersion, UserCode
from services import clock, deadlines
from services.application.connection import uses_net
from services.application.read import SectionView
from services.application.sections import COMPLETE, INPUT_SECTIONS, OFFICE, USER_CODE, context_of, get_section
from services.authz import Actor, require_applicant_access
from services.cancellation import due
from services.system_settings.registrations import RegistrationTable, table_for
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind, ApplicationStatus

# The screens of the new usage application that make up the contract. The 利用者コード screen is
# not shown as typed: the contract lists the codes issued on approval instead (`user_codes`).
CONTRACT_SECTIONS = ("office", "user_code", "line", "mailbox", "logical_terminal", "fee_plan", "billing_address")
SHOWN_SECTIONS = tuple(k for k in CONTRACT_SECTIONS if k != USER_CODE)
# What a version holds: every screen of the new usage application (contacts and line works too).
VERSION_SECTIONS = tuple(s.key for s in INPUT_SECTIONS)


@dataclass(frozen=True)
class ContractUserCode:
    user_code: str
    system_category: str
    industries: tuple[str, ...]
    id_numbers: tuple[str, ...]
    retired_on: date | None = None   # left the contract (解約申込, or deleted by a 変更申込); never reused

    @property
    def user_ids(self) -> tuple[str, ...]:
        """利用者ID = 利用者コード + 識別番号."""
        return tuple(self.user_code + n for n in self.id_numbers)


@dataclass(frozen=True)
class Contract:
    applicant_id: int
    company_name: str
    office_code: str | None
    application_id: int | None      # the approved 新規利用申込 whose screens are the contract; None before
    start_date: date | None         # 利用開始日
    connection_type: str | None     # of the version in force today (a 変更申込 may have added the other)
    user_codes: tuple[ContractUserCode, ...]
    registrations: RegistrationTable
    sections: tuple[SectionView, ...]  # the screens in force today (or, before the 利用開始日, the first version's)

    @property
    def in_force(self) -> bool:
        return self.application_id is not None


@dataclass(frozen=True)
class Version:
    """The contract as it stands from `valid_from` (None: a 利用開始日 not set, as in old rows)."""
    valid_from: date | None
    application_id: int          # the approved 新規利用申込 or 変更申込 that made it
    kind: str
    sections: dict[str, dict[str, Any]]
    # Its 接続形態: the approved 新規利用申込's column (the same as its screen), else the screen's.
    connection_type: str | None = None

    def user_codes(self) -> tuple[str, ...]:
        return tuple(str(r["user_code"]) for r in (self.sections.get(USER_CODE) or {}).get("user_codes") or []
                     if isinstance(r, dict) and r.get("user_code"))


def approved_new_usage(s: Session, applicant_id: int) -> Application | None:
    return s.scalar(select(Application).where(
        Application.applicant_id == applicant_id, Application.kind == ApplicationKind.NEW_USAGE,
        Application.status == ApplicationStatus.APPROVED).order_by(Application.id.desc()).limit(1))


def _first_version(s: Session, app: Application) -> Version:
    """The approved 新規利用申込's screens; each 利用者コード row with the code issued for it (the codes
    were issued in row order, services.review.issuance)."""
    data = {r.section_key: dict(r.data or {}) for r in s.scalars(
        select(ApplicationSection).where(ApplicationSection.application_id == app.id,
                                         ApplicationSection.section_key.in_(VERSION_SECTIONS)))}
    issued = list(s.scalars(select(UserCode).where(UserCode.application_id == app.id).order_by(UserCode.id)))
    rows = [dict(r) for r in (data.get(USER_CODE) or {}).get("user_codes") or [] if isinstance(r, dict)]
    for row, code in zip(rows, issued, strict=False):
        row["user_code"], row["id_numbers"] = code.user_code, list(code.id_numbers or [])
    if USER_CODE in data:
        data[USER_CODE] = {**data[USER_CODE], "user_codes": rows}
    return Version(app.start_date, app.id, ApplicationKind.NEW_USAGE, data, app.connection_type)


def versions(s: Session, applicant_id: int) -> list[Version]:
    """Every version of the office's contract, oldest first; [] before the approval."""
    app = approved_new_usage(s, applicant_id)
    if app is None:
        return []
    later = s.scalars(select(ContractVersion).where(ContractVersion.applicant_id == applicant_id)
                      .order_by(ContractVersion.valid_from, ContractVersion.id))
    return [_first_version(s, app)] + [
        Version(v.valid_from, v.application_id, ApplicationKind.CHANGE, dict(v.data), connection_of(v.data))
        for v in later]


def version_on(all_versions: list[Version], day: date) -> Version | None:
    """The version in force on `day`: the last one started on or before it (None before the first)."""
    found = None
    for v in all_versions:
        if v.valid_from is None or v.valid_from <= day:
            found = v
    return found


def connection_of(sections: Mapping[str, Mapping[str, Any] | None]) -> str | None:
    """The 接続形態 of a version's (or an application's) screens."""
    return (sections.get(OFFICE) or {}).get("connection_type")


def net_since(all_versions: list[Version], day: date) -> date | None:
    """Since when the contract in force on `day` (before the 利用開始日: the first version) has used
    netNACCS without a break: the 電子証明書 deadline runs from it (the 利用開始日, or the effective
    day of the 変更申込 that added netNACCS). None when it does not use netNACCS."""
    since = None
    for v in [v for v in all_versions if v.valid_from is None or v.valid_from <= day] or all_versions[:1]:
        since = (since or v.valid_from) if uses_net(v.connection_type) else None
    return since


def latest(s: Session, applicant_id: int) -> Version | None:
    """The newest version, even one that starts later: what a new 変更申込 changes."""
    found = versions(s, applicant_id)
    return found[-1] if found else None


def screens_of(version: Version) -> list[SectionView]:
    """The contract screens of a version, read-only, as 契約内容確認 draws them."""
    ctx = context_of(version.sections)
    return [SectionView(key, get_section(key).label_key, dict(version.sections.get(key) or {}), COMPLETE, 0,
                        get_section(key).applies(ctx), False) for key in CONTRACT_SECTIONS]


def shown_screens(version: Version) -> list[SectionView]:
    """What 契約内容確認 draws of a version: its screens that apply, without the 利用者コード screen
    (the issued codes are listed instead)."""
    return [section for section in screens_of(version) if section.applies and section.key in SHOWN_SECTIONS]


@dataclass(frozen=True)
class History:
    versions: tuple[Version, ...]
    on: date
    in_force: Version | None


def contract_history(actor: Actor, applicant_id: int, on: date | None = None, *,
                     uow: UnitOfWork | None = None) -> History:
    """Every version and the one in force on `on` (default today, JST): the office or staff."""
    require_applicant_access(actor, applicant_id)
    day = on or clock.today_jst()
    with (uow or UnitOfWork()) as u:
        found = versions(u.session, applicant_id)
        return History(tuple(found), day, version_on(found, day))


def _retired_on(code: UserCode, cancelled_on: date | None) -> date | None:
    """The day the code left (or leaves) the contract: an approved 変更申込's effective day, or the
    JST day a 解約申込's job retired it, or its 解約日 once come (before the job has run)."""
    return code.retired_on or (deadlines.jst_date(code.retired_at) if code.retired_at else cancelled_on)


def contract(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> Contract:
    """The office itself, or staff for any office (services.authz)."""
    require_applicant_access(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        s = u.session
        applicant = get_or_raise(s, Applicant, applicant_id)
        app = approved_new_usage(s, applicant_id)
        cancelled = due.cancelled_codes(s, applicant_id)
        codes = tuple(
            ContractUserCode(c.user_code, c.system_category, tuple(str(i) for i in c.industries or []),
                             tuple(str(n) for n in c.id_numbers or []), _retired_on(c, cancelled.get(c.id)))
            # every code, retired ones too (契約内容確認's 状態 column says 解約 and the day)
            for c in s.scalars(select(UserCode).where(UserCode.applicant_id == applicant_id)
                               .order_by(UserCode.user_code)))
        found = versions(s, applicant_id)
        today = version_on(found, clock.today_jst()) or (found[0] if found else None)
        sections = () if today is None else tuple(shown_screens(today))
        return Contract(applicant_id, app.company_name if app and app.company_name else applicant.company_name,
                        applicant.office_code, app.id if app else None, app.start_date if app else None,
                        today.connection_type if today else None, codes, table_for(s, applicant_id), sections)
