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

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import SystemSettingsRegistration, UserCode
from services import clock

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


def table_for(s: Session, applicant_id: int) -> RegistrationTable:
    # A 利用者コード retired by a 解約申込 (services.cancellation) has no settings left to make.
    codes = list(s.scalars(select(UserCode).where(UserCode.applicant_id == applicant_id, UserCode.retired_at.is_(None))
                           .order_by(UserCode.user_code)))
    done: dict[int, dict[str, datetime]] = {}
    if codes:
        for reg in s.scalars(select(SystemSettingsRegistration).where(
                SystemSettingsRegistration.user_code_id.in_([c.id for c in codes]))):
            done.setdefault(reg.user_code_id, {})[reg.item] = reg.registered_at
    rows = []
    columns: dict[str, None] = {NAME_ITEM: None}
    for code in codes:
        items = required_items(code)
        columns.update(dict.fromkeys(items))
        registered = done.get(code.id, {})
        rows.append(RegistrationRow(code.id, code.user_code, code.system_category,
                                    {item: item in registered for item in items},
                                    {item: at for item, at in registered.items() if item in items}))
    return RegistrationTable(tuple(columns), tuple(rows))


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
