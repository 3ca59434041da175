"""The ten 詳細入力画面 of a 新規利用申込 (SPEC §2.2 table), as definitions.

Each Section says which fields it has (fieldspec.FieldSpec), whether it applies given the
接続形態 and 処理方式 chosen elsewhere, whether 一時保存 is offered on it in 共同利用, and how to
tell its 入力状況 (EMPTY 未入力 / PARTIAL 入力中 / COMPLETE 入力済). The wizard page, the
support desk, the reviewer's detail page and submit all read these same definitions.

Data keys other features rely on: applicant_contact.admin_manager_email and
.application_clerk_email (mail recipients, password re-issue), office.connection_type,
office.corporate_number, office.security_confirmed, user_code.user_codes rows.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from db.reference import PAYMENT_METHODS
from services import reference_data
from services.application.connection import ConnectionType, choices, requires_certificate, requires_line_work
from services.application.fieldspec import (
    BOOL,
    CONFIRM,
    CORP_NO,
    DATE,
    EMAIL,
    INT,
    KANA,
    MULTI,
    PHONE,
    POSTAL,
    ROWS,
    SELECT,
    TEXT,
    Checked,
    Context,
    FieldSpec,
    is_blank,
    validate_fields,
)

EMPTY, PARTIAL, COMPLETE = "EMPTY", "PARTIAL", "COMPLETE"
SECTION_STATUSES = (EMPTY, PARTIAL, COMPLETE)

APPLICANT_CONTACT, OFFICE, USER_CODE, LINE = "applicant_contact", "office", "user_code", "line"
LINE_INSTALLATION, MAILBOX, LOGICAL_TERMINAL = "line_installation", "mailbox", "logical_terminal"
FEE_PLAN, BILLING_ADDRESS, REVIEW_SCREEN = "fee_plan", "billing_address", "review_screen"

PLANS = ("A", "B")


@dataclass(frozen=True)
class Section:
    key: str
    fields: tuple[FieldSpec, ...]
    # False: not offered in 新規利用申込(共同利用) (the seed's table); always offered otherwise.
    draft_save_in_shared_use: bool
    applies_when: Callable[[Context], bool] | None = None

    @property
    def label_key(self) -> str:
        return f"wizard.section.{self.key}"

    def applies(self, ctx: Context) -> bool:
        return self.applies_when is None or self.applies_when(ctx)

    def offers_draft_save(self, shared_use: bool) -> bool:
        return self.draft_save_in_shared_use or not shared_use

    def check(self, data: Mapping[str, Any] | None, ctx: Context) -> Checked:
        return validate_fields(self.fields, dict(data or {}), ctx)

    def status(self, data: Mapping[str, Any] | None, ctx: Context) -> str:
        return status_of(self, self.check(data, ctx), ctx)


def status_of(section: Section, checked: Checked, ctx: Context) -> str:
    """未入力 when nothing that applies was entered, 入力済 when nothing is wrong, else 入力中."""
    entered = any(not is_blank(checked.data.get(spec.name)) for spec in section.fields
                  if spec.applies(checked.data, ctx))
    if not entered and section.fields:
        return EMPTY
    return COMPLETE if not checked.errors else PARTIAL


def context_of(sections_data: Mapping[str, Mapping[str, Any] | None], shared_use: bool = False) -> Context:
    """The choices that shape the other screens, read from the saved data of all screens."""
    office = sections_data.get(OFFICE) or {}
    line = sections_data.get(LINE) or {}
    raw = office.get("connection_type")
    conn = ConnectionType(raw) if raw in tuple(ConnectionType) else None
    allowed = reference_data.current().processing_methods(conn) if conn is not None else ()
    methods = tuple(m for m in (line.get("processing_methods") or []) if m in allowed)
    return Context(connection_type=conn, processing_methods=methods, shared_use=shared_use)


# The lists an administrator edits are read on use (services.reference_data), so a select box
# offers the current values on its next run.
def _methods(ctx: Context) -> tuple[str, ...]:
    return reference_data.current().processing_methods(ctx.connection_type)


def _connection_types(ctx: Context) -> tuple[str, ...]:
    # Only a 変更申込 (its chosen parts are set) may choose both: a 新規利用申込 chooses one.
    return choices(change=ctx.chosen is not None)


def _certificate(_data: dict[str, Any], ctx: Context) -> bool:
    return requires_certificate(ctx.connection_type)


def _system_categories(_ctx: Context) -> tuple[str, ...]:
    return reference_data.current().system_categories


def _industries(_ctx: Context) -> tuple[str, ...]:
    return reference_data.current().industries


def _line_types(_ctx: Context) -> tuple[str, ...]:
    return reference_data.current().line_types


def _needs_line_work(ctx: Context) -> bool:
    return requires_line_work(ctx.connection_type)


def _uses_mailbox(ctx: Context) -> bool:
    mailbox = reference_data.current().mailbox_methods
    return any(m in mailbox for m in ctx.processing_methods)


def _billing_other(data: dict[str, Any], _ctx: Context) -> bool:
    return not data.get("same_as_office")


def _never(_data: dict[str, Any], _ctx: Context) -> bool:
    return False


def _issued_row(data: dict[str, Any], _ctx: Context) -> bool:
    return bool(data.get("user_code"))


def _person(prefix: str, with_department: bool = True) -> tuple[FieldSpec, ...]:
    specs = [FieldSpec(f"{prefix}_name", TEXT, max_len=50), FieldSpec(f"{prefix}_kana", KANA, max_len=50)]
    if with_department:
        specs.append(FieldSpec(f"{prefix}_department", TEXT, required=False, max_len=100))
    specs += [FieldSpec(f"{prefix}_phone", PHONE), FieldSpec(f"{prefix}_email", EMAIL),
              FieldSpec(f"{prefix}_email_confirm", EMAIL, same_as=f"{prefix}_email", hidden_in_view=True)]
    return tuple(specs)


SECTIONS: tuple[Section, ...] = (
    Section(APPLICANT_CONTACT, _person("application_clerk") + _person("admin_manager"),
            draft_save_in_shared_use=False),
    Section(OFFICE, (
        FieldSpec("company_name", TEXT, max_len=100),
        FieldSpec("head_office_postal_code", POSTAL),
        FieldSpec("head_office_address", TEXT, max_len=200),
        FieldSpec("head_office_phone", PHONE),
        FieldSpec("office_name", TEXT, max_len=100),
        FieldSpec("office_postal_code", POSTAL),
        FieldSpec("office_address", TEXT, max_len=200),
        FieldSpec("office_phone", PHONE),
        FieldSpec("contractor_name", TEXT, max_len=50),
        FieldSpec("contractor_title", TEXT, max_len=50),
        FieldSpec("corporate_number", CORP_NO, required=False),  # sole proprietors have none
        FieldSpec("connection_type", SELECT, options=_connection_types, option_labels="wizard.option.connection_type"),
        FieldSpec("security_confirmed", CONFIRM),
    ), draft_save_in_shared_use=False),
    Section(USER_CODE, (
        FieldSpec("user_codes", ROWS, min_rows=1, max_rows=20, row_fields=(
            FieldSpec("system_category", SELECT, options=_system_categories),
            FieldSpec("industries", MULTI, options=_industries),
            FieldSpec("id_number_count", INT, min_value=1, max_value=99),
            FieldSpec("management_reports", BOOL, required=False),
            FieldSpec("bonded_storage_service", BOOL, required=False),
            # 変更申込: the issued 利用者コード a row stands for (copied from the contract, never typed:
            # never drawn as a widget) and 「削除する」 for it; a row without one asks for a new code.
            FieldSpec("user_code", TEXT, required=False, max_len=16, when=_never, hidden_in_view=True),
            FieldSpec("retire", BOOL, required=False, when=_issued_row),
        )),
    ), draft_save_in_shared_use=False),
    Section(LINE, (
        FieldSpec("line_type", SELECT, options=_line_types),
        FieldSpec("processing_methods", MULTI, options=_methods),
        FieldSpec("logical_terminal_count", INT, min_value=1, max_value=999),
        FieldSpec("server_count", INT, required=False, min_value=0, max_value=99),
    ), draft_save_in_shared_use=True),
    Section(LINE_INSTALLATION, (
        FieldSpec("site_postal_code", POSTAL),
        FieldSpec("site_address", TEXT, max_len=200),
        FieldSpec("desired_completion_date", DATE),
        FieldSpec("site_contact_name", TEXT, max_len=50),
        FieldSpec("site_contact_phone", PHONE),
    ), draft_save_in_shared_use=True, applies_when=_needs_line_work),
    Section(MAILBOX, (
        FieldSpec("mailboxes", ROWS, min_rows=1, max_rows=50, row_fields=(
            FieldSpec("notification_email", EMAIL),
        )),
    ), draft_save_in_shared_use=False, applies_when=_uses_mailbox),
    Section(LOGICAL_TERMINAL, (
        FieldSpec("terminals", ROWS, min_rows=1, max_rows=999, row_fields=(
            FieldSpec("installation_site", TEXT, max_len=200),
            FieldSpec("certificate_requested", BOOL, required=False, when=_certificate),
        )),
    ), draft_save_in_shared_use=True),
    Section(FEE_PLAN, (
        FieldSpec("expected_monthly_usage", INT, min_value=0, max_value=100_000_000),
        FieldSpec("plan", SELECT, options=PLANS, option_labels="wizard.option.plan"),
    ), draft_save_in_shared_use=False),
    Section(BILLING_ADDRESS, (
        FieldSpec("same_as_office", BOOL, required=False),
        FieldSpec("billing_name", TEXT, max_len=100, when=_billing_other),
        FieldSpec("billing_postal_code", POSTAL, when=_billing_other),
        FieldSpec("billing_address", TEXT, max_len=200, when=_billing_other),
        FieldSpec("billing_department", TEXT, required=False, max_len=100, when=_billing_other),
        FieldSpec("billing_contact_name", TEXT, max_len=50, when=_billing_other),
        FieldSpec("billing_phone", PHONE, when=_billing_other),
        FieldSpec("payment_method", SELECT, required=False, options=PAYMENT_METHODS),
    ), draft_save_in_shared_use=True),
    # 入力確認画面: no fields of its own; shows every screen read-only and submits.
    Section(REVIEW_SCREEN, (), draft_save_in_shared_use=False),
)

SECTION_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}
INPUT_SECTIONS: tuple[Section, ...] = tuple(s for s in SECTIONS if s.key != REVIEW_SCREEN)


def get_section(key: str) -> Section:
    from services.errors import NotFound
    try:
        return SECTION_BY_KEY[key]
    except KeyError:
        raise NotFound("wizard.error.unknown_section") from None


def applicable_sections(ctx: Context) -> list[Section]:
    return [s for s in SECTIONS if s.applies(ctx)]


def input_progress(statuses: Mapping[str, str], ctx: Context) -> tuple[int, int]:
    """(入力済, applicable) among the 詳細入力画面 for these choices: the desk's 「入力中 n/m 画面」."""
    relevant = [s.key for s in INPUT_SECTIONS if s.applies(ctx)]
    return sum(statuses.get(key) == COMPLETE for key in relevant), len(relevant)


def review_screen_status(statuses: Mapping[str, str], ctx: Context,
                         input_sections: tuple[Section, ...] | None = None) -> str:
    """The 入力確認画面 is 入力済 once every applicable screen (of this kind; default 新規利用申込's) is."""
    relevant = [statuses.get(s.key, EMPTY) for s in (input_sections or INPUT_SECTIONS) if s.applies(ctx)]
    if all(st == COMPLETE for st in relevant):
        return COMPLETE
    return PARTIAL if any(st != EMPTY for st in relevant) else EMPTY


def industries_filter_value(user_code_data: Mapping[str, Any] | None) -> str | None:
    """Application.industries for the reviewer's filter: "|航空会社|通関業|" (LIKE '%|通関業|%')."""
    known = reference_data.current().known_industries
    found = []
    for row in (user_code_data or {}).get("user_codes") or []:
        for industry in row.get("industries") or [] if isinstance(row, dict) else []:
            if industry in known and industry not in found:
                found.append(industry)
    ordered = [i for i in known if i in found]
    return "|" + "|".join(ordered) + "|" if ordered else None
