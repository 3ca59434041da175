"""A conversion note appears only when saving visibly changed what was typed."""
from services.application.save import visible_conversions
from services.errors import FieldError


def test_only_visible_changes_are_conversions():
    typed = {"phone": "０３－１２３４－５６７８", "count": "1", "note": "", "kana": "やまだ", "ok": "03-1", "bad": "ｘ"}
    stored = {"phone": "03-1234-5678", "count": 1, "note": None, "kana": "ヤマダ", "ok": "03-1", "bad": "x"}
    found = visible_conversions(typed, stored, {"bad": FieldError("x")})
    assert found == {"phone": ("０３－１２３４－５６７８", "03-1234-5678"), "kana": ("やまだ", "ヤマダ")}


def test_surrounding_spaces_alone_are_no_conversion():
    assert visible_conversions({"name": "  山田 "}, {"name": "山田"}, {}) == {}


def test_a_change_of_spacing_alone_is_no_conversion():
    assert visible_conversions({"kana": "ヤマダ タロウ"}, {"kana": "ヤマダ\u3000タロウ"}, {}) == {}
