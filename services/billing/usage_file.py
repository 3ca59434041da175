"""Reading a usage file row by row (never the whole file in memory): CSV in UTF-8 (with or without
BOM) or Shift_JIS / cp932 — what Japanese Excel writes — detected from the bytes, or Excel .xlsx
read by openpyxl in read-only mode. Yields each data row with its line number in the file."""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import IO, Any

from services.errors import DomainError

COLUMNS = ("利用者コード", "年月", "利用額")
_SNIFF_BYTES = 256 * 1024
XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(DomainError):
    pass


def detect_encoding(head: bytes) -> str:
    """utf-8-sig for a BOM; utf-8 if the head decodes as UTF-8 (a character cut at the end of the
    head is allowed); otherwise cp932 (Shift_JIS with Microsoft's extensions, as Excel saves)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp932"


def _columns(header: list[Any]) -> tuple[int, int, int]:
    names = [str(h or "").strip().lstrip("\ufeff") for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise UnreadableFile("billing.import.error.columns", columns="、".join(missing))
    idx = tuple(names.index(c) for c in COLUMNS)
    return idx[0], idx[1], idx[2]


def _pick(row: list[Any] | tuple[Any, ...], idx: tuple[int, int, int]) -> tuple[Any, Any, Any]:
    def at(i: int) -> Any:
        return row[i] if i < len(row) else None
    return at(idx[0]), at(idx[1]), at(idx[2])


def _csv_rows(stream: IO[bytes]) -> Iterator[tuple[int, Any, Any, Any]]:
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=detect_encoding(head), newline="")
    try:
        reader = csv.reader(text)
        header = next(reader, None)
        if header is None:
            raise UnreadableFile("billing.import.error.empty")
        idx = _columns(header)
        for row in reader:
            if not any(c.strip() for c in row):
                continue  # blank lines (Excel leaves them at the end)
            yield reader.line_num, *_pick(row, idx)
    except UnicodeDecodeError:
        raise UnreadableFile("billing.import.error.encoding") from None
    except csv.Error:
        raise UnreadableFile("billing.import.error.csv") from None
    finally:
        text.detach()


def _xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[int, Any, Any, Any]]:
    from openpyxl import load_workbook  # imported on first use: not every page start needs it
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken archive
        raise UnreadableFile("billing.import.error.xlsx") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise UnreadableFile("billing.import.error.empty")
        idx = _columns(list(header))
        for line, row in enumerate(rows, start=2):
            if all(c is None or str(c).strip() == "" for c in row):
                continue
            yield line, *_pick(row, idx)
    finally:
        book.close()


def rows(stream: IO[bytes], file_name: str) -> Iterator[tuple[int, Any, Any, Any]]:
    """(line number, 利用者コード, 年月, 利用額) of each data row, raw as the file holds them."""
    start = stream.read(4)
    stream.seek(0)
    if start == XLSX_MAGIC or file_name.lower().endswith(".xlsx"):
        return _xlsx_rows(stream)
    return _csv_rows(stream)
