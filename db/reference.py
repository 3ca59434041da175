"""Reference data from SPEC §2.2 and §2.6 (public NACCS facts). Admin editing comes later;
until then this module is the one place these lists live."""
from __future__ import annotations

from typing import TypedDict

SYSTEM_CATEGORIES = ("海上", "航空", "海上・航空共用")

INDUSTRIES = (
    "航空会社", "航空貨物代理店", "通関業", "機用品業", "混載業", "保税蔵置場", "損害保険会社", "船会社",
    "船舶代理店", "CY", "輸出入者", "NVOCC", "海貨業", "バンプール", "汎用申請者",
)

# Keyed by the stored 接続形態 value (services.application.connection.ConnectionType).
PROCESSING_METHODS = {
    "NET": ("netNACCS", "webNACCS", "ebMS"),
    "GENERAL": ("インタラクティブ", "SMTP 双方向", "SMTP/POP3", "EDIFACT"),
}
# Methods that deliver through NACCS mailboxes (the メールボックス screen applies to them).
MAILBOX_METHODS = frozenset({"SMTP 双方向", "SMTP/POP3", "ebMS"})

LINE_TYPES = ("インターネット", "専用回線 0.5Mbps", "専用回線 1Mbps", "専用回線 3Mbps", "専用回線 5Mbps",
              "専用回線 10Mbps", "広帯域回線")


# Fee schedule (yen). Plan A: basic fee per logical terminal or mailbox + usage at rate A;
# plan B: usage at rate B only. The rates put the break-even between ¥25,000 and ¥37,500 of
# usage a month per terminal, as SPEC §2.6 states.
class FeeSchedule(TypedDict):
    basic_per_unit: int
    rate_a: float
    rate_b: float
    management_reports_per_user_code: int
    bonded_storage_per_user_code: int


FEE_SCHEDULE: FeeSchedule = {
    "basic_per_unit": 5000,
    "rate_a": 0.6,    # plan A pays 60% of list usage
    "rate_b": 0.8,    # plan B pays 80% of list usage: B is cheaper below 25,000 per terminal
    "management_reports_per_user_code": 1000,
    "bonded_storage_per_user_code": 1000,
}


# Code lengths are configuration, not literals scattered in code (SPEC §5).
class CodeFormats(TypedDict):
    user_code_length: int
    id_number_length: int
    office_code_length: int
    temp_login_prefix: str
    temp_login_length: int


CODE_FORMATS: CodeFormats = {
    "user_code_length": 5,
    "id_number_length": 3,
    "office_code_length": 8,
    "temp_login_prefix": "T",
    "temp_login_length": 10,   # prefix + 9 characters
}

# Review service levels and deadlines (SPEC §2.5a, §3.1), in Japanese business days.
REVIEW_DEADLINES = {
    "review_service_days": 5,        # an application is due N business days after submission
    "review_due_soon_days": 1,       # 期限間近: due within this many business days
    "system_settings_days_before_start": 4,  # システム設定申込 complete N business days before 利用開始日
    "id_notice_days_after_start": 2,  # 事業所パスワード shown until N business days after 利用開始日
    "temp_expiry_warning_hours": 12,  # staff dashboard lists temporary accounts expiring this soon
    "dashboard_horizon_days": 5,      # the deadline list looks this many business days ahead
    "default_start_business_days": 10,  # the 利用開始日 a reviewer is offered: N business days from today
}
