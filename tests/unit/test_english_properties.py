"""Properties of the English-name rules for any text (hypothesis): no exception, only allowed
characters unless some are refused, normalising twice changes nothing, and every suggestion is
accepted as it stands."""
from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from services.application import fieldspec
from services.fields import FieldInvalid
from services.system_settings import romanise
from services.system_settings.english import EnglishResult, is_allowed, normalise_english, suggest_english

PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of real names and addresses, and the marks that gave trouble, to combine at random.
FRAGMENTS = (list(romanise.PREFECTURES) + list(romanise.GLOSSARY) + [
    "山田", "物流", "髙橋", "山﨑", "𠮷田", "々", "〆", "〇", "ヶ", "ー", "・", "丸の内", "井上", "港区", "横浜市",
    "入間郡", "三芳町", "一丁目", "二十三番地", "4号", "5階", "101号室", "〒100-0001", "１－２－３", "(株)", "㈱",
    "ＡＢＣ", "abc", "O'Brien", "&", "@", "#", "😀", "é", "Ω", "\u3000", " ", "\t", "\x00", "\u200b", "ｶﾞ", "ゝ",
    "(", ")", "/", ",", ".", "-", "―", "’", "、", "。", "1", "99",
])
japanese = st.text(alphabet=st.characters(min_codepoint=0x3000, max_codepoint=0x9FFF), max_size=30)
composed = st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join)
any_text = st.one_of(st.text(max_size=60), japanese, composed)


@PROPS
@given(any_text)
@example("ＹＡＭＡＤＡ\u3000Ｃｏ．")
@example("¨")  # NFKC gives a space and a combining mark
@example("1ー2ーー3")
def test_normalise_english_for_any_text(text):
    result = normalise_english(text)
    not_allowed = tuple(dict.fromkeys(ch for ch in result.value if not is_allowed(ch)))
    assert result.refused == not_allowed  # so: only allowed characters, or refused is non-empty
    assert result.value == result.value.strip(" ") and "  " not in result.value
    again = normalise_english(result.value)
    assert again == EnglishResult(result.value, False, result.refused)


@PROPS
@given(any_text)
@example("株式会社山田物流")
@example("々")
@example("髙\x00橋")
def test_every_suggestion_is_accepted_as_it_stands(text):
    suggestion = suggest_english(text)
    assert normalise_english(suggestion) == EnglishResult(suggestion, False, ())


@PROPS
@given(composed)
def test_suggestions_are_deterministic(text):
    suggest_english.cache_clear()
    first = suggest_english(text)
    suggest_english.cache_clear()
    assert suggest_english(text) == first


ENGLISH_SPEC = fieldspec.FieldSpec("company_name_en", fieldspec.ENGLISH, required=False, max_len=40)


@PROPS
@given(st.one_of(any_text, st.none(), st.integers(), st.booleans()))
def test_the_english_field_kind_for_any_value(value):
    """Only the project's own refusals; what it stores is allowed, fits, and is stored again as is."""
    try:
        stored = fieldspec.clean_value(ENGLISH_SPEC, value, fieldspec.Context())
    except FieldInvalid:
        return
    assert all(is_allowed(ch) for ch in stored) and len(stored) <= ENGLISH_SPEC.max_len
    assert fieldspec.clean_value(ENGLISH_SPEC, stored, fieldspec.Context()) == stored
