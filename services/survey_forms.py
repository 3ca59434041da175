"""The three survey forms (調査票) of システム設定の申込 as real Excel workbooks, generated with openpyxl.

Their content (title, lead, blocks of fields or tables, Japanese headings) is data in
`templates/survey_forms.toml`; this module only draws it. The 掲示板 (services/bulletin_board.py)
stores each as version 1 when it has none (`ensure_survey_forms`), and an administrator may replace
it with a newer version later.

Stable keys for other screens (the system-settings tabs say which form an industry needs):
`SurveyForm` values. Downloading the current version: `bulletin_board.survey_form_download`.
"""
from __future__ import annotations

import io
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "survey_forms.toml"


class SurveyForm(StrEnum):
    CARGO_DELIVERY = "cargo_delivery_survey"        # 貨物引渡業務登録調査票
    AIRLINE_INTERFACE = "airline_interface_survey"  # 航空会社インタフェース調査票
    SHIPPING_LINE = "shipping_line_survey"          # 船会社受委託関係登録兼船会社コード付与調査票


@dataclass(frozen=True)
class Block:
    heading: str
    fields: tuple[tuple[str, str], ...] = ()   # (項目, 記入要領): one entry cell each
    columns: tuple[str, ...] = ()              # a table to fill in, `rows` rows
    rows: int = 0
    prefilled: tuple[tuple[str, ...], ...] = ()  # first cells of the table's first rows


@dataclass(frozen=True)
class FormDef:
    key: SurveyForm
    title: str
    lead: str
    blocks: tuple[Block, ...]

    @property
    def file_name(self) -> str:
        return f"{self.title}.xlsx"


def _block(raw: dict[str, Any]) -> Block:
    return Block(raw["heading"], tuple((str(a), str(b)) for a, b in raw.get("fields", [])),
                 tuple(raw.get("columns", [])), int(raw.get("rows", 0)),
                 tuple(tuple(row) for row in raw.get("prefilled", [])))


@cache
def forms() -> dict[SurveyForm, FormDef]:
    with TEMPLATE.open("rb") as f:
        raw = tomllib.load(f)
    common = _block(raw["common"])
    return {key: FormDef(key, raw[key]["title"], raw[key]["lead"],
                         (common, *(_block(b) for b in raw[key]["blocks"])))
            for key in SurveyForm}


def form(key: SurveyForm | str) -> FormDef:
    return forms()[SurveyForm(key)]


# ---------------------------------------------------------------- drawing

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADING_FILL = PatternFill("solid", fgColor="1F4E79")
_LABEL_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="center")
# A fixed creation time in the workbook's properties (not the moment it happened to be generated).
_CREATED = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)


def _fields(ws: Any, row: int, block: Block) -> int:
    for label, hint in block.fields:
        ws.cell(row, 1, label).fill = _LABEL_FILL
        ws.cell(row, 2).border = _BOX  # the entry cell
        ws.cell(row, 3, hint).font = Font(color="595959", size=9)
        ws.cell(row, 1).border = _BOX
        ws.cell(row, 1).alignment = _WRAP
        row += 1
    return row


def _table(ws: Any, row: int, block: Block) -> int:
    for col, name in enumerate(block.columns, start=1):
        cell = ws.cell(row, col, name)
        cell.fill, cell.border, cell.font, cell.alignment = _LABEL_FILL, _BOX, Font(bold=True), _WRAP
    for i in range(block.rows):
        values = block.prefilled[i] if i < len(block.prefilled) else ()
        for col in range(1, len(block.columns) + 1):
            cell = ws.cell(row + 1 + i, col)
            cell.border = _BOX
            if col <= len(values):
                cell.value = values[col - 1]
            elif block.columns[0] == "No." and col == 1:
                cell.value = i + 1
    return row + 1 + block.rows


def workbook_bytes(key: SurveyForm | str) -> bytes:
    """The form as an .xlsx workbook: title, lead, then each block under its heading."""
    spec = form(key)
    wb = Workbook()
    wb.properties.creator = "NACCS 利用申込ポータル"
    wb.properties.title = spec.title
    wb.properties.created = wb.properties.modified = _CREATED
    ws = wb.active
    ws.title = "調査票"
    ws["A1"] = spec.title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = spec.lead
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:F2")
    ws.row_dimensions[2].height = 36
    row = 4
    for block in spec.blocks:
        heading = ws.cell(row, 1, block.heading)
        heading.font, heading.fill = Font(bold=True, color="FFFFFF"), _HEADING_FILL
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(3, len(block.columns)))
        row += 1
        row = _table(ws, row, block) if block.columns else _fields(ws, row, block)
        row += 1
    for col, width in zip("ABCDEF", (28, 36, 36, 18, 14, 20), strict=True):
        ws.column_dimensions[col].width = width
    ws.print_title_rows = "1:1"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
