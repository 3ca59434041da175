import pytest

from services import fields
from services.fields import FieldInvalid


def test_full_width_phone_digits_are_converted():
    assert fields.clean_phone("０３－１２３４－５６７８") == "03-1234-5678"
    assert fields.phone_digits("(03) 1234-5678") == "0312345678"


def test_hiragana_and_half_width_kana_become_katakana():
    assert fields.clean_kana("やまだ　たろう") == "ヤマダ\u3000タロウ"
    assert fields.clean_kana("ﾔﾏﾀﾞ") == "ヤマダ"
    with pytest.raises(FieldInvalid) as e:
        fields.clean_kana("山田")
    assert e.value.error.code == "field.kana"


def test_corporate_number_check_digit():
    # 国税庁's published example: 7000012050002 (国税庁)
    assert fields.clean_corporate_number("7000012050002") == "7000012050002"
    assert fields.clean_corporate_number("７０００－０１２０５０００２".replace("－", "")) == "7000012050002"
    with pytest.raises(FieldInvalid) as e:
        fields.clean_corporate_number("8000012050002")
    assert e.value.error.code == "field.corporate_number_check"
    with pytest.raises(FieldInvalid) as e:
        fields.clean_corporate_number("12345")
    assert e.value.error.code == "field.corporate_number_format"


def test_postal_code_and_email():
    assert fields.clean_postal_code("１０００００１") == "100-0001"
    assert fields.clean_email("ｔａｒｏ＠example.jp") == "taro@example.jp"
    for bad in ("taro@", "taro@@example.jp", "a b@example.jp", "x@example"):
        with pytest.raises(FieldInvalid):
            fields.clean_email(bad)


def test_required_and_too_long():
    with pytest.raises(FieldInvalid) as e:
        fields.clean_required_text("  ", 10)
    assert e.value.error.code == "field.required"
    with pytest.raises(FieldInvalid) as e:
        fields.clean_required_text("あ" * 11, 10)
    assert e.value.error.params == {"max": 10}
