"""The 業種 tabs come from db/system_settings_fields.toml: every 業種 has a tab with an ASCII key, the
file is checked when loaded, and every tab and field has a label in both languages."""
from __future__ import annotations

import copy
import tomllib

import pytest

from db.reference import (
    INDUSTRIES,
    SYSTEM_SETTINGS_FIELDS_FILE,
    ReferenceDataError,
    industry_settings,
    parse_system_settings_fields,
)
from locales import catalog
from services.application.fieldspec import CODE, ENGLISH, SELECT, Context
from services.application.forms import FIXED_SECTIONS, SYSTEM_SETTINGS, get_section
from services.system_settings import sections
from services.system_settings.english import normalise_english


def _raw() -> dict:
    with SYSTEM_SETTINGS_FIELDS_FILE.open("rb") as f:
        return tomllib.load(f)


def test_every_industry_has_its_tab_with_the_spec_fields():
    settings = industry_settings()
    assert list(settings) == list(INDUSTRIES)
    assert all(s.section_key.isascii() and len(s.section_key) <= 32 for s in settings.values())
    names = {industry: [f.name for f in s.fields] for industry, s in settings.items()}
    assert names["通関業"][:2] == ["broker_licence_number", "licensing_customs"]
    assert names["船会社"][0] == "shipping_line_code"
    assert names["航空会社"][:2] == ["iata_code", "airline_code"]
    assert names["保税蔵置場"][:2] == ["bonded_area_code", "storage_place"]
    assert settings["船会社"].survey_forms == ("shipping_line_survey",)
    assert settings["航空会社"].survey_forms == ("airline_interface_survey",)
    assert "cargo_delivery_survey" in settings["混載業"].survey_forms
    assert "cargo_delivery_survey" in settings["航空貨物代理店"].survey_forms


@pytest.mark.parametrize("breakage", [
    lambda d: d["industries"].pop("CY"),
    lambda d: d["industries"]["CY"].update(key="シー"),
    lambda d: d["industries"]["CY"].update(key="nvocc"),
    lambda d: d["industries"]["CY"].update(survey_forms=["unknown_form"]),
    lambda d: d["industries"]["CY"]["fields"].append({"name": "x", "kind": "colour"}),
    lambda d: d["industries"]["CY"]["fields"].append({"name": "y", "kind": "select"}),
    lambda d: [f.update(required=False) for f in d["industries"]["CY"]["fields"]],
])
def test_a_broken_file_is_refused(breakage):
    data = copy.deepcopy(_raw())
    breakage(data)
    with pytest.raises(ReferenceDataError):
        parse_system_settings_fields(data)


def test_sections_are_unique_and_found_by_key():
    keys = [s.key for s in SYSTEM_SETTINGS.sections]
    assert len(keys) == len(set(keys)) and keys[:2] == ["ss_contact", "ss_name"]
    assert get_section("ss_customs_broker").fields[0].kind == CODE
    assert get_section("office") is FIXED_SECTIONS["office"]  # the 新規利用申込's screens still found
    ctx = sections.context_of({}, "|船会社|通関業|")
    shown = [s.key for s in SYSTEM_SETTINGS.listed(ctx)]
    assert shown == ["ss_contact", "ss_name", "ss_customs_broker", "ss_shipping_line", "review_screen"]
    assert sections.survey_forms_for(ctx.industries) == ("shipping_line_survey",)


def test_labels_in_both_languages():
    for lang in ("ja", "en"):
        labels = catalog(lang)
        for section in SYSTEM_SETTINGS.input_sections:
            assert section.label_key in labels, (lang, section.key)
            for spec in section.fields:
                assert f"wizard.field.{section.key}.{spec.name}" in labels, (lang, section.key, spec.name)
        for form in ("cargo_delivery_survey", "airline_interface_survey", "shipping_line_survey"):
            assert f"system_settings.survey_form.{form}" in labels


def test_same_system_settings_keys_in_both_languages():
    def keys(lang):
        with open(f"locales/{lang}/system_settings.toml", "rb") as f:
            out = set()
            def walk(prefix, node):
                for k, v in node.items():
                    walk(f"{prefix}.{k}", v) if isinstance(v, dict) else out.add(f"{prefix}.{k}")
            walk("", tomllib.load(f))
            return out
    assert keys("ja") == keys("en")


@pytest.mark.parametrize(("typed", "value", "refused"), [
    ("ＡＢＣ　Ｔｒａｄｉｎｇ　Ｃｏ．，Ｌｔｄ．", "ABC Trading Co.,Ltd.", ()),
    ("Ｏ’Ｎｅｉｌ ＆ Ｓｏｎｓ （Ｔｏｋｙｏ）／１２", "O'Neil & Sons (Tokyo)/12", ()),
    ("ヤマダ Trading", "ヤマダ Trading", ("ヤ", "マ", "ダ")),
    ("ABC@Tokyo", "ABC@Tokyo", ("@",)),
])
def test_english_conversion(typed, value, refused):
    result = normalise_english(typed)
    assert (result.value, result.refused) == (value, refused)


def test_english_and_code_fields_through_the_section_checks():
    spec_kinds = {s.name: s.kind for s in get_section("ss_name").fields}
    assert spec_kinds["company_name_en"] == ENGLISH and spec_kinds["company_name_ja"] != ENGLISH
    checked = get_section("ss_customs_broker").check(
        {"broker_licence_number": "ａｂ１２", "licensing_customs": "大阪税関"}, Context(industries=("通関業",)))
    assert checked.data["broker_licence_number"] == "AB12" and not checked.errors
    assert get_section("ss_customs_broker").fields[1].kind == SELECT
