"""The English names of システム設定申込 (issue 10 item 2, 「名称」): what normalise_english converts,
what it refuses and names, and the ENGLISH field kind with the wizard's conversion note."""
from __future__ import annotations

import pytest

from locales import catalog
from services.application.fieldspec import ENGLISH, ENGLISH_CHARS, Context, FieldSpec, validate_fields
from services.application.save import visible_conversions
from services.system_settings.english import ALLOWED_PUNCTUATION, EnglishResult, normalise_english


def test_plain_ascii_is_kept_and_unchanged():
    assert normalise_english("Yamada Butsuryu Co., Ltd.") == EnglishResult("Yamada Butsuryu Co., Ltd.", False, ())


def test_every_allowed_mark_is_accepted():
    text = "A-1 & B's (Tokyo)/Osaka, Ltd." + ALLOWED_PUNCTUATION
    assert normalise_english(text) == EnglishResult(text, False, ())


def test_full_width_letters_are_converted():
    assert normalise_english("ＹＡＭＡＤＡ　ｔａｒｏ") == EnglishResult("YAMADA taro", True, ())


def test_full_width_digits_are_converted():
    assert normalise_english("１－２－３　Ｓｈｉｂａｋｏｅｎ") == EnglishResult("1-2-3 Shibakoen", True, ())


def test_full_width_symbols_are_converted():
    result = normalise_english("Ｃｏ．，　Ｌｔｄ．　＆　（Ｊａｐａｎ）／ＡＢＣ＇ｓ")
    assert result == EnglishResult("Co., Ltd. & (Japan)/ABC's", True, ())


def test_japanese_marks_typed_for_ascii_ones_are_converted():
    # a dash from a word processor, a curly apostrophe, 「1ー2ー3」 typed with the long mark
    assert normalise_english("O’Brien – 1ー2ー3、Tokyo。").value == "O'Brien - 1-2-3,Tokyo."
    assert normalise_english("O’Brien").changed


def test_kana_is_refused_and_named():
    result = normalise_english("Yamada カブシキガイシャ")
    assert result.refused == ("カ", "ブ", "シ", "キ", "ガ", "イ", "ャ")
    assert result.value == "Yamada カブシキガイシャ"  # kept as typed for correcting


def test_half_width_kana_is_named_as_the_full_width_it_becomes():
    assert normalise_english("ﾔﾏﾀﾞ").refused == ("ヤ", "マ", "ダ")


def test_kanji_is_refused():
    assert normalise_english("山田物流 Co., Ltd.").refused == ("山", "田", "物", "流")


@pytest.mark.parametrize("text, refused", [
    ("info@example", ("@",)), ("No.1 #2", ("#",)), ("ＡＢＣ＠ＤＥＦ", ("@",)),  # '@' after conversion
    ("Yamada 😀", ("😀",)), ("Tokyo; Osaka: \"x\"", (";", ":", '"')), ("café", ("é",)),
    ("a\tb", ("\t",)),
])
def test_a_forbidden_character_is_named_once_in_order(text, refused):
    assert normalise_english(text).refused == refused


def test_repeated_refused_characters_are_named_once():
    assert normalise_english("a@b@c#d@").refused == ("@", "#")


def test_mixed_input_converts_what_it_can_and_names_the_rest():
    result = normalise_english("ＡＢＣ　トレーディング　Ｃｏ．＠")
    assert result.value == "ABC トレーディング Co.@"
    assert result.changed
    assert result.refused == ("ト", "レ", "ー", "デ", "ィ", "ン", "グ", "@")


@pytest.mark.parametrize("text", ["", " ", "\u3000\u3000", "   \u3000 "])
def test_empty_and_blank_are_empty_and_no_change(text):
    assert normalise_english(text) == EnglishResult("", False, ())


def test_runs_of_spaces_collapse_and_ends_are_trimmed_without_a_visible_change():
    result = normalise_english("  Yamada \u3000  Taro  ")
    assert result == EnglishResult("Yamada Taro", False, ())


def test_odd_spaces_become_plain_spaces():
    assert normalise_english("Yamada\u00a0Taro\u2003Jr.").value == "Yamada Taro Jr."


# --- the ENGLISH field kind ---------------------------------------------------------------------

SPECS = (FieldSpec("company_name_en", ENGLISH, max_len=20), FieldSpec("office_name_en", ENGLISH, required=False))


def _check(raw):
    return validate_fields(SPECS, raw, Context())


def test_full_width_entry_is_stored_half_width_with_exactly_one_conversion_note():
    typed = {"company_name_en": "ＹＡＭＡＤＡ　Ｃｏ．", "office_name_en": "Tokyo Office"}
    checked = _check(typed)
    assert checked.errors == {}
    assert checked.data == {"company_name_en": "YAMADA Co.", "office_name_en": "Tokyo Office"}
    assert visible_conversions(typed, checked.data, checked.errors) == {
        "company_name_en": ("ＹＡＭＡＤＡ　Ｃｏ．", "YAMADA Co.")}


def test_plain_ascii_entry_gives_no_conversion_note():
    typed = {"company_name_en": "YAMADA Co.", "office_name_en": "  Tokyo   Office "}
    checked = _check(typed)
    assert checked.errors == {}
    assert checked.data["office_name_en"] == "Tokyo Office"
    assert visible_conversions(typed, checked.data, checked.errors) == {}


def test_refused_characters_are_named_in_the_error_and_the_value_kept_as_typed():
    checked = _check({"company_name_en": "山田 Co.@#@"})
    error = checked.errors["company_name_en"]
    assert error.code == ENGLISH_CHARS
    assert error.params == {"chars": "「山」「田」「@」「#」"}
    assert checked.data["company_name_en"] == "山田 Co.@#@"
    assert checked.refused == {}  # a field error, not a screen that cannot be saved


def test_required_and_optional_blank():
    checked = _check({"company_name_en": "\u3000", "office_name_en": ""})
    assert checked.errors["company_name_en"].code == "field.required"
    assert "office_name_en" not in checked.errors
    assert checked.data["office_name_en"] == ""


def test_max_len_counts_after_conversion():
    typed = "ＡＢＣＤＥＦＧＨＩ　　　ＪＫＬＭＮＯＰＱＲＳ"  # 22 typed, 20 once the spaces collapse
    assert len(typed) == 22
    assert _check({"company_name_en": typed}).data["company_name_en"] == "ABCDEFGHI JKLMNOPQRS"
    assert _check({"company_name_en": typed}).errors == {}
    too_long = _check({"company_name_en": "A" * 21})
    assert too_long.errors["company_name_en"].code == "field.too_long"
    assert too_long.errors["company_name_en"].params == {"max": 20}


def test_control_characters_are_refused_before_the_english_rules():
    checked = _check({"company_name_en": "YAMADA\x00"})
    assert checked.refused["company_name_en"].code == "field.invalid_chars"


def test_the_message_exists_in_both_languages_and_names_the_characters():
    for lang in ("ja", "en"):
        text = catalog(lang)[ENGLISH_CHARS].format(chars="「@」「#」")
        assert "「@」「#」" in text
        assert ". , - & ' ( ) /" in text
    assert "使用できない文字" in catalog("ja")[ENGLISH_CHARS]
    assert catalog("ja")["field.english_suggestion"] and catalog("en")["field.english_suggestion"]
