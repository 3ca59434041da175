"""Reference data from SPEC §2.2 and §2.6 (public NACCS facts): the SEED of the administered lists.

The lists below (and db/system_settings_fields.toml) seed the reference_items table (migration
0016_reference_data) and stand in for a list that has no stored rows; every screen and rule reads
the current values through services.reference_data.current(), never these constants directly."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

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

# 支払方法 of the 請求先 (SPEC §2.6: 口座振替 / 銀行振込); optional, a 変更申込 may set or change it.
PAYMENT_METHODS = ("口座振替", "銀行振込")

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


# ---------------------------------------------------------------- システム設定申込 (SPEC §2.4)

# The survey forms of the 掲示板 that cannot be entered on screen; the key is the attachment purpose.
SURVEY_FORMS = ("cargo_delivery_survey", "airline_interface_survey", "shipping_line_survey")
SYSTEM_SETTINGS_FIELDS_FILE = Path(__file__).resolve().parent / "system_settings_fields.toml"
SETTINGS_FIELD_KINDS = ("code", "text", "english", "select", "int")
SECTION_KEY_MAX = 32  # application_sections.section_key


@dataclass(frozen=True)
class SettingsField:
    name: str
    kind: str
    max_len: int = 100
    required: bool = True
    options: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    # Retired by an administrator: no longer asked, kept where an application holds a value.
    retired: bool = False


@dataclass(frozen=True)
class IndustrySettings:
    """One 業種's tab: its fields and the survey forms it requires."""
    industry: str
    key: str
    fields: tuple[SettingsField, ...]
    survey_forms: tuple[str, ...]

    @property
    def section_key(self) -> str:
        return f"ss_{self.key}"


class ReferenceDataError(ValueError):
    """The reference data file is wrong: the app refuses to start rather than show a broken tab."""


ASCII_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _settings_field(industry: str, raw: dict[str, Any]) -> SettingsField:
    name, kind = raw.get("name", ""), raw.get("kind", "")
    if not isinstance(name, str) or not ASCII_NAME.match(name):
        raise ReferenceDataError(f"{industry}: field name {name!r} is not an ASCII name")
    if kind not in SETTINGS_FIELD_KINDS:
        raise ReferenceDataError(f"{industry}.{name}: unknown kind {kind!r}")
    options = tuple(raw.get("options") or ())
    if (kind == "select") != bool(options):
        raise ReferenceDataError(f"{industry}.{name}: options belong to (and are required by) select fields")
    max_len = raw.get("max_len", 100)
    if not isinstance(max_len, int) or not 1 <= max_len <= 1000:
        raise ReferenceDataError(f"{industry}.{name}: max_len must be 1..1000")
    unknown = set(raw) - {"name", "kind", "max_len", "required", "options", "min_value", "max_value"}
    if unknown:
        raise ReferenceDataError(f"{industry}.{name}: unknown settings {sorted(unknown)}")
    return SettingsField(name, kind, max_len, bool(raw.get("required", True)), options,
                         raw.get("min_value"), raw.get("max_value"))


def parse_industry(industry: str, raw: dict[str, Any]) -> IndustrySettings:
    """One 業種's table (of the file, or a stored reference row's details): key, forms, fields."""
    key = raw.get("key", "")
    if not isinstance(key, str) or not ASCII_NAME.match(key) or len(f"ss_{key}") > SECTION_KEY_MAX:
        raise ReferenceDataError(f"{industry}: key {key!r} must be ASCII and ss_<key> at most {SECTION_KEY_MAX}")
    forms = tuple(raw.get("survey_forms") or ())
    if set(forms) - set(SURVEY_FORMS):
        raise ReferenceDataError(f"{industry}: unknown survey forms {sorted(set(forms) - set(SURVEY_FORMS))}")
    fields = tuple(_settings_field(industry, f) for f in raw.get("fields") or ())
    if not any(f.required for f in fields):
        # 入力済 needs something entered: a tab of optional fields only could never be 入力済.
        raise ReferenceDataError(f"{industry}: at least one field must be required")
    if len({f.name for f in fields}) != len(fields):
        raise ReferenceDataError(f"{industry}: a field name is used twice")
    return IndustrySettings(industry, key, fields, forms)


def parse_system_settings_fields(data: dict[str, Any]) -> dict[str, IndustrySettings]:
    """Checks the file's content: every 業種 once, unique ASCII keys, known kinds and forms."""
    industries = data.get("industries") or {}
    if set(industries) != set(INDUSTRIES):
        raise ReferenceDataError(f"業種 missing {sorted(set(INDUSTRIES) - set(industries))}, "
                                 f"unknown {sorted(set(industries) - set(INDUSTRIES))}")
    out: dict[str, IndustrySettings] = {}
    keys: set[str] = set()
    for industry in INDUSTRIES:
        settings = parse_industry(industry, industries[industry])
        if settings.key in keys or settings.key in ("name", "contact"):
            raise ReferenceDataError(f"{industry}: key {settings.key!r} is used twice")
        keys.add(settings.key)
        out[industry] = settings
    return out


@cache
def industry_settings() -> dict[str, IndustrySettings]:
    """The seed: per 業種 (in INDUSTRIES order), read from db/system_settings_fields.toml once.
    Screens read the stored, current settings: services.reference_data.current().industry_settings."""
    with SYSTEM_SETTINGS_FIELDS_FILE.open("rb") as f:
        return parse_system_settings_fields(tomllib.load(f))
