"""What a 変更申込 can change (the issue's list), mapped onto the 新規利用申込's screens, and the
screen that holds the choice («change_scope»: the parts and the effective month).

A change application holds a copy of every screen of the contract, so the new usage application's
rules (its field checks, the 接続形態 / 処理方式 choices, the logical-terminal count) run over the
whole contract as it would be; only the screens of the chosen parts are listed and editable
(Context.chosen), and only they are compared (services.change.diff) and applied on approval.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from services.application.fieldspec import MULTI, TEXT, FieldSpec
from services.application.sections import (
    APPLICANT_CONTACT,
    BILLING_ADDRESS,
    FEE_PLAN,
    LINE,
    LINE_INSTALLATION,
    LOGICAL_TERMINAL,
    MAILBOX,
    OFFICE,
    REVIEW_SCREEN,
    USER_CODE,
    Section,
)
from services.billing.months import add_months, month_of

CHANGE_SCOPE = "change_scope"

# part key → the screens it opens, in the order of the list.
PARTS: dict[str, tuple[str, ...]] = {
    "office": (OFFICE,),                              # 会社・事業所の情報と住所、契約者の氏名・役職
    "contacts": (APPLICANT_CONTACT,),                 # 管理責任者の連絡先
    "user_codes": (USER_CODE,),                       # 利用業種、利用者コード・識別番号の追加・変更・削除
    "terminals": (LINE, LOGICAL_TERMINAL),            # 論理端末と証明書 (the count is on 回線)
    "lines": (LINE, LINE_INSTALLATION, MAILBOX),      # 回線とメールボックス
    "fee_plan": (FEE_PLAN,),                          # 料金プラン
    "management_reports": (USER_CODE,),               # 管理統計資料 (per 利用者コード)
    "bonded_storage_service": (USER_CODE,),           # 保税管理資料保存サービス (per 利用者コード)
    "billing": (BILLING_ADDRESS,),                    # 請求先と支払方法
    "connection": (OFFICE, LINE, LINE_INSTALLATION, LOGICAL_TERMINAL, MAILBOX),  # 接続形態
}
PART_KEYS: tuple[str, ...] = tuple(PARTS)

# Not a screen of its own: chosen when the change is started (services.change.start); never listed.
SCOPE_SECTION = Section(CHANGE_SCOPE, (
    FieldSpec("parts", MULTI, options=PART_KEYS),
    FieldSpec("effective_month", TEXT, max_len=7),
), draft_save_in_shared_use=True, applies_when=lambda _ctx: False)

MONTHS_AHEAD = 12  # an effective month is chosen from next month to a year ahead


def chosen_sections(parts: Iterable[str]) -> frozenset[str]:
    """The screens the chosen parts open (and the 入力確認画面)."""
    keys = {key for part in parts for key in PARTS.get(part, ())}
    return frozenset(keys | {REVIEW_SCREEN})


def scope_of(sections: Mapping[str, Mapping[str, Any] | None]) -> tuple[tuple[str, ...], date | None]:
    """(chosen parts, first day of the effective month) as stored on the change_scope screen."""
    scope = sections.get(CHANGE_SCOPE) or {}
    parts = tuple(p for p in scope.get("parts") or () if p in PARTS)
    return parts, parse_month(scope.get("effective_month"))


def parse_month(value: Any) -> date | None:
    """"2027-04" → 2027-04-01; None for anything else."""
    try:
        year, month = str(value or "").split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def month_text(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_choices(today: date) -> tuple[str, ...]:
    """The effective months offered: next month to MONTHS_AHEAD months ahead."""
    return tuple(month_text(add_months(month_of(today), n)) for n in range(1, MONTHS_AHEAD + 1))
