"""The registration status of system settings (契約内容確認's ○/× table, SPEC §2.4).

Each 利用者コード needs its 名称 and one entry per 業種 it was issued with. An approved
システム設定申込 registers the items it carried (`record_approval`); an item without a row is ×.
A 利用者コード with no × left is complete (`UserCode.settings_completed_at`), which the guidance,
the cut-off and the staff views read. This module is the one place that decides ○ and ×.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from db.models import SystemSettingsRegistration, UserCode
from services import clock
from services.cancellation import due
from services.uow import insert_rows

NAME_ITEM = "名称"  # the 名称 column; every other item is a 業種 as stored on the 利用者コード


def required_items(user_code: UserCode) -> tuple[str, ...]:
    """What this 利用者コード must have registered: 名称, then its 業種 in issued order."""
    return (NAME_ITEM, *dict.fromkeys(str(i) for i in (user_code.industries or [])))


@dataclass(frozen=True)
class RegistrationRow:
    """One row of the table: 利用者コード, and per item True (○) / False (×)."""
    user_code_id: int
    user_code: str
    system_category: str
    items: dict[str, bool]
    registered_at: dict[str, datetime]

    @property
    def complete(self) -> bool:
        return all(self.items.values())

    def mark(self, item: str) -> str:
        """○ registered, × not yet, "" where the item does not apply to this 利用者コード."""
        if item not in self.items:
            return ""
        return "○" if self.items[item] else "×"


@dataclass(frozen=True)
class RegistrationTable:
    columns: tuple[str, ...]            # 名称, then every 業種 any row has, in first-seen order
    rows: tuple[RegistrationRow, ...]

    @property
    def complete(self) -> bool:
        """「システム設定の登録は完了です」: at least one 利用者コード and no × anywhere."""
        return bool(self.rows) and all(r.complete for r in self.rows)


def is_live() -> ColumnElement[bool]:
    """A 利用者コード still in the contract today: not retired by an approved 解約申込 (`retired_at`,
    set by its job on the 解約日) and not deleted by an approved 変更申込 whose effective month has
    come (`retired_on`: it leaves on that day, not before). Every list of codes in use reads this.
    A code whose 解約日 has come leaves at 00:00 even before the job has set `retired_at`."""
    return and_(UserCode.retired_at.is_(None),
                or_(UserCode.retired_on.is_(None), UserCode.retired_on > clock.today_jst()),
                ~due.user_code_cancelled(UserCode.id))


def live_user_codes(applicant_id: int) -> Select:
    """The office's 利用者コード in the contract today (`is_live`)."""
    return select(UserCode).where(UserCode.applicant_id == applicant_id, is_live())


def registered(s: Session, user_code_ids: list[int]) -> dict[int, dict[str, datetime]]:
    """Per 利用者コード id: the items registered (○) and when."""
    done: dict[int, dict[str, datetime]] = {}
    for start in range(0, len(user_code_ids), 500):  # IN lists of bounded length
        for code_id, item, at in s.execute(
                select(SystemSettingsRegistration.user_code_id, SystemSettingsRegistration.item,
                       SystemSettingsRegistration.registered_at)
                .where(SystemSettingsRegistration.user_code_id.in_(user_code_ids[start:start + 500]))):
            done.setdefault(code_id, {})[item] = at
    return done


def row_for(code: UserCode, registered_items: dict[str, datetime]) -> RegistrationRow:
    """The 利用者コード's row from its registered items (`registered(...)[code.id]`, {} for none)."""
    items = required_items(code)
    return RegistrationRow(code.id, code.user_code, code.system_category,
                           {item: item in registered_items for item in items},
                           {item: at for item, at in registered_items.items() if item in items})


def table_for(s: Session, applicant_id: int) -> RegistrationTable:
    codes = list(s.scalars(live_user_codes(applicant_id).order_by(UserCode.user_code)))
    done = registered(s, [c.id for c in codes])
    rows = tuple(row_for(code, done.get(code.id, {})) for code in codes)
    columns: dict[str, None] = {NAME_ITEM: None}
    for row in rows:
        columns.update(dict.fromkeys(row.items))
    return RegistrationTable(tuple(columns), rows)


def record_approval(s: Session, user_code: UserCode, application_id: int, items: Iterable[str]) -> list[str]:
    """Marks the items an approved システム設定申込 carried as registered (a later application for
    an item already ○ keeps the first date) and completes the 利用者コード when no × is left.
    Items the 利用者コード does not have are ignored. Returns the items newly registered."""
    wanted = [i for i in dict.fromkeys(items) if i in required_items(user_code)]
    have = set(s.scalars(select(SystemSettingsRegistration.item)
                         .where(SystemSettingsRegistration.user_code_id == user_code.id)))
    now = clock.now()
    added = [i for i in wanted if i not in have]
    for item in added:
        s.add(SystemSettingsRegistration(user_code_id=user_code.id, item=item, application_id=application_id,
                                         registered_at=now))
    if user_code.settings_completed_at is None and set(required_items(user_code)) <= have | set(added):
        user_code.settings_completed_at = now
    s.flush()
    return added


def record_all(s: Session, user_code: UserCode, application_id: int) -> None:
    """Every item of the 利用者コード registered (demo data and tests of a finished office)."""
    record_approval(s, user_code, application_id, required_items(user_code))


def record_all_new(s: Session, done: Iterable[tuple[UserCode, int]]) -> None:
    """record_all for many 利用者コード rows just made (flushed, nothing registered yet), with their
    application ids: one multi-row INSERT instead of a query and a flush each (the demo seed's ~50)."""
    now = clock.now()
    rows = []
    for user_code, application_id in done:
        rows += [{"user_code_id": user_code.id, "item": item, "application_id": application_id, "registered_at": now}
                 for item in required_items(user_code)]
        user_code.settings_completed_at = now
    insert_rows(s, SystemSettingsRegistration, rows)
