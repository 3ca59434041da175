"""Cells of every file the portal exports, safe to open in a spreadsheet (CSV formula injection).

A spreadsheet runs a text cell that begins with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)`
sends data away, `=cmd|...` ran programs in old Excel), and a leading tab or carriage return is
dropped before that check. As OWASP recommends, such a cell gets a leading single quote, which the
spreadsheet shows as text. Only text is changed: an int, float or Decimal is written as the number
it is, so a numeric column keeps its negative numbers. Every export writes its rows through
`safe_row` (or `safe_cell`), the one place this rule lives.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` unchanged, unless it is text a spreadsheet would run as a formula: then `'value`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]
