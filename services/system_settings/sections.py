"""The screens of a システム設定申込 (SPEC §2.4), as sections of the wizard's machinery:

- ss_contact: 申込担当者 (step 1), pre-filled from the office's 新規利用申込;
- ss_name: 「名称」, 企業名 / 営業所名 / 責任者名 / 営業所所在地, each 和 and 英;
- ss_<key>: one 「業種」 tab per 業種, its fields as the reference data in force defines them
  (services.reference_data: the seed db/system_settings_fields.toml, then an administrator's edits); it applies
  (is shown) only when the application's 利用者コード has that 業種 (Context.industries);
- the shared 入力確認画面 (sections.REVIEW_SCREEN).

Section keys are globally unique (services.application.forms.get_section finds any of them).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from db.reference import IndustrySettings, SettingsField
from services import reference_data
from services.application.fieldspec import (
    CODE,
    EMAIL,
    ENGLISH,
    INT,
    KANA,
    PHONE,
    SELECT,
    TEXT,
    Context,
    FieldSpec,
    is_blank,
)
from services.application.sections import REVIEW_SCREEN, SECTION_BY_KEY, Section

CONTACT, NAME = "ss_contact", "ss_name"
# 「名称」: (name of the Japanese field, of the English one), in the seed's order.
NAME_PAIRS = (("company_name_ja", "company_name_en"), ("office_name_ja", "office_name_en"),
              ("manager_name_ja", "manager_name_en"), ("office_address_ja", "office_address_en"))
SUGGESTED = "_suggested"  # ss_name data: English fields still holding the romanised suggestion

_KINDS = {"code": CODE, "text": TEXT, "english": ENGLISH, "select": SELECT, "int": INT}


def _contact_fields() -> tuple[FieldSpec, ...]:
    return (FieldSpec("contact_name", TEXT, max_len=50), FieldSpec("contact_kana", KANA, max_len=50),
            FieldSpec("contact_department", TEXT, required=False, max_len=100),
            FieldSpec("contact_phone", PHONE), FieldSpec("contact_email", EMAIL))


def _name_fields() -> tuple[FieldSpec, ...]:
    lengths = {"company_name": 100, "office_name": 100, "manager_name": 50, "office_address": 200}
    specs: list[FieldSpec] = []
    for ja, en in NAME_PAIRS:
        limit = lengths[ja.removesuffix("_ja")]
        specs += [FieldSpec(ja, TEXT, max_len=limit), FieldSpec(en, ENGLISH, max_len=limit)]
    return tuple(specs)


def _live_options(industry: str, name: str) -> Callable[[Context], tuple[str, ...]]:
    """A select field's choices are administered (services.reference_data): read on use."""
    return lambda _ctx: reference_data.current().field_options(industry, name)


def _has_value(name: str) -> Callable[[dict[str, Any], Context], bool]:
    return lambda data, _ctx: not is_blank(data.get(name))


def _spec(industry: str, field: SettingsField) -> FieldSpec:
    options = _live_options(industry, field.name) if field.kind == "select" else field.options
    # A retired field is asked (and shown) only where an application already holds a value for it.
    return FieldSpec(field.name, _KINDS[field.kind], required=field.required and not field.retired,
                     max_len=field.max_len, options=options, min_value=field.min_value, max_value=field.max_value,
                     when=_has_value(field.name) if field.retired else None)


def _for_industry(industry: str) -> Callable[[Context], bool]:
    return lambda ctx: industry in ctx.industries


def _industry_section(settings: IndustrySettings) -> Section:
    return Section(settings.section_key, tuple(_spec(settings.industry, f) for f in settings.fields), draft_save_in_shared_use=True,
                   applies_when=_for_industry(settings.industry))


@dataclass(frozen=True)
class Screens:
    """The システム設定申込's screens as the reference data in force defines them."""
    sections: tuple[Section, ...]
    section_industry: dict[str, str]   # ss_<key> → 業種
    industry_section: dict[str, str]   # 業種 → ss_<key>

    @property
    def input_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.key != REVIEW_SCREEN)


def _build(data: reference_data.ReferenceData) -> Screens:
    # A 業種 gets a tab once it has a field to ask (an added 業種 before its fields has none).
    tabs = [s for s in data.industry_settings.values() if any(not f.retired for f in s.fields)]
    built = Screens((Section(CONTACT, _contact_fields(), draft_save_in_shared_use=True),
                     Section(NAME, _name_fields(), draft_save_in_shared_use=True),
                     *(_industry_section(s) for s in tabs), SECTION_BY_KEY[REVIEW_SCREEN]),
                    {s.section_key: s.industry for s in tabs}, {s.industry: s.section_key for s in tabs})
    clash = {s.key for s in built.input_sections} & set(SECTION_BY_KEY)
    assert not clash, f"システム設定申込 section keys clash with the 新規利用申込's: {clash}"
    return built


_built: tuple[reference_data.ReferenceData, Screens] | None = None


def screens() -> Screens:
    """Built at run time from services.reference_data.current(), so an added 業種 or field shows on
    the next run; rebuilt only when the reference data object changes (after a save), so a page
    run costs one cache look-up however often it asks."""
    global _built
    data = reference_data.current()
    found = _built
    if found is None or found[0] is not data:
        found = _built = (data, _build(data))
    return found[1]


def context_of(_sections_data: Mapping[str, Mapping[str, Any] | None], industries: str | None) -> Context:
    """The 業種 of the application's 利用者コード (Application.industries, "|a|b|") decide its tabs."""
    chosen = [i for i in (industries or "").split("|") if i]
    return Context(industries=tuple(i for i in reference_data.current().known_industries if i in chosen))


def survey_forms_for(industries: tuple[str, ...]) -> tuple[str, ...]:
    """The 掲示板 forms these 業種 must attach, each once (as an administrator set them)."""
    settings = reference_data.current().industry_settings
    found: dict[str, None] = {}
    for industry in industries:
        found.update(dict.fromkeys(settings[industry].survey_forms if industry in settings else ()))
    return tuple(found)


def industry_tabs(industries: tuple[str, ...]) -> list[str]:
    """The section keys of the 「業種」 tabs for these 業種, in reference order."""
    tabs = screens().industry_section
    return [tabs[i] for i in reference_data.current().known_industries if i in industries and i in tabs]
