"""Usage import (issue 11 item 2): an administrator's file of 利用額 per 利用者コード and month.

Every row is validated (known 利用者コード, a month that has begun, a non-negative integer amount,
no second row for the same code and month, no month already imported for that code unless
`replace`); any bad row refuses the whole file with each bad row's line number and reason, and
nothing is stored. The rows are read as a stream and written in chunks with executemany inside
one transaction, so memory stays flat (only the keys seen so far are kept, for the duplicate check).
Undo removes the import's records and puts back the records it replaced; an import whose records
a later import replaced is undone after that later one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from db.models import UsageImport, UsageRecord, UserCode
from services import audit, clock
from services.audit import AuditAction
from services.authz import ADMIN, Actor, require_role
from services.billing import usage_file
from services.billing.months import month_of
from services.errors import DomainError
from services.uow import UnitOfWork, get_or_raise

CHUNK = 5_000
MAX_REPORTED = 100     # bad rows listed; the count covers them all
_MONTH = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{1,2})\s*$")
_AMOUNT = re.compile(r"^\d{1,15}$")


@dataclass(frozen=True)
class RowError:
    line: int
    code: str                       # a locale key: billing.import.row.<reason>
    params: dict[str, Any] = field(default_factory=dict)


class ImportRefused(DomainError):
    """The file was not imported; `errors` are its first bad rows, `total` how many there are."""

    def __init__(self, errors: list[RowError], total: int) -> None:
        super().__init__("billing.import.refused", total=total)
        self.errors = errors
        self.total = total


@dataclass(frozen=True)
class ImportSummary:
    id: int
    file_name: str
    row_count: int
    replace: bool
    imported_at: datetime
    imported_by: str | None
    undone_at: datetime | None
    undone_by: str | None


def _month(value: Any, this_month: date) -> tuple[date | None, str | None]:
    if isinstance(value, datetime | date):
        month = month_of(value.date() if isinstance(value, datetime) else value)
    else:
        m = _MONTH.match(str(value or ""))
        if not m or not 1 <= int(m.group(2)) <= 12:
            return None, "month"
        month = date(int(m.group(1)), int(m.group(2)), 1)
    if month > this_month:
        return None, "future_month"
    return month, None


def _amount(value: Any) -> tuple[int | None, str | None]:
    if isinstance(value, bool):
        return None, "amount"
    if isinstance(value, int | float):
        if value < 0:
            return None, "negative"
        return (int(value), None) if float(value).is_integer() else (None, "amount")
    text = str(value or "").strip().replace(",", "")
    if text.startswith("-") and _AMOUNT.match(text[1:]):
        return None, "negative"
    if not _AMOUNT.match(text):
        return None, "amount"
    return int(text), None


class _Importer:
    def __init__(self, s: Session, import_id: int, replace: bool) -> None:
        self.s, self.import_id, self.replace = s, import_id, replace
        self.codes = {c: (i, a) for c, i, a in s.execute(select(UserCode.user_code, UserCode.id,
                                                                UserCode.applicant_id))}
        self.this_month = month_of(clock.today_jst())
        self.first_line: dict[int, int] = {}    # (code id, month) as one int -> its first line
        self.buffer: list[tuple[int, int, int, date, int]] = []  # line, code id, applicant id, month, amount
        self.errors: list[RowError] = []
        self.total_errors = 0
        self.rows = 0

    def fail(self, line: int, reason: str, **params: Any) -> None:
        self.total_errors += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowError(line, f"billing.import.row.{reason}", params))

    def add(self, line: int, code_raw: Any, month_raw: Any, amount_raw: Any) -> None:
        code = str(code_raw if code_raw is not None else "").strip()
        known = self.codes.get(code)
        month, month_error = _month(month_raw, self.this_month)
        amount, amount_error = _amount(amount_raw)
        if known is None:
            self.fail(line, "unknown_code" if code else "no_code", value=code)
        if month_error:
            self.fail(line, month_error, value=str(month_raw if month_raw is not None else ""))
        if amount_error:
            self.fail(line, amount_error, value=str(amount_raw if amount_raw is not None else ""))
        if known is None or month is None or amount is None:
            return
        key = known[0] * 1_000_000 + month.year * 12 + month.month
        first = self.first_line.setdefault(key, line)
        if first != line:
            self.fail(line, "duplicate", first=first)
            return
        self.buffer.append((line, known[0], known[1], month, amount))
        if len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        chunk, self.buffer = self.buffer, []
        if not chunk:
            return
        code_ids = {r[1] for r in chunk}
        months = {r[3] for r in chunk}
        existing = {(c, m): (rid, imp) for rid, c, m, imp in self.s.execute(
            select(UsageRecord.id, UsageRecord.user_code_id, UsageRecord.month, UsageRecord.import_id).where(
                UsageRecord.superseded_by_import_id.is_(None), UsageRecord.user_code_id.in_(code_ids),
                UsageRecord.month.in_(months)))}
        replaced: list[int] = []
        for line, code_id, _a, month, _amt in chunk:
            found = existing.get((code_id, month))
            if found is None:
                continue
            if self.replace:
                replaced.append(found[0])
            else:
                self.fail(line, "already_imported", import_id=found[1])
        if self.total_errors:
            return  # keep validating the rest; nothing of this file will be stored
        if replaced:
            self.s.execute(update(UsageRecord).where(UsageRecord.id.in_(replaced))
                           .values(superseded_by_import_id=self.import_id))
        _insert(self.s, [(c, a, m, amt, self.import_id) for _line, c, a, m, amt in chunk])
        self.rows += len(chunk)


_INSERT_COLUMNS = ("user_code_id", "applicant_id", "month", "usage_amount", "import_id")


def _insert(s: Session, rows: list[tuple[int, int, date, int, int]]) -> None:
    """One chunk into usage_records, in the session's transaction. PostgreSQL: COPY (psycopg's
    executemany sends one INSERT per row: 100,000 rows took ~15 s, COPY ~2 s); SQLite: executemany."""
    conn = s.connection()
    if conn.dialect.name == "postgresql":
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(
                f"COPY usage_records ({', '.join(_INSERT_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    s.execute(insert(UsageRecord), [dict(zip(_INSERT_COLUMNS, row, strict=True)) for row in rows])


def import_usage(actor: Actor, stream: IO[bytes], file_name: str, *, replace: bool = False,
                 uow: UnitOfWork | None = None) -> ImportSummary:
    """All rows of the file in one transaction, or none (ImportRefused, or UnreadableFile)."""
    require_role(actor, ADMIN)
    with (uow or UnitOfWork()) as u:
        s = u.session
        record = UsageImport(file_name=file_name[:255], row_count=0, replace=replace, imported_at=clock.now(),
                             imported_by_user_id=actor.user_id, imported_by_login_id=actor.login_id)
        s.add(record)
        s.flush()
        importer = _Importer(s, record.id, replace)
        for line, code, month, amount in usage_file.rows(stream, file_name):
            importer.add(line, code, month, amount)
        importer.flush()
        if importer.total_errors:
            raise ImportRefused(importer.errors, importer.total_errors)
        if importer.rows == 0:
            raise DomainError("billing.import.error.empty")
        record.row_count = importer.rows
        audit.record(s, actor, AuditAction.USAGE_IMPORTED, target_type="usage_import", target_id=record.id,
                     after={"file_name": record.file_name, "row_count": record.row_count, "replace": replace})
        u.commit()
        return _summary(record)


def undo_import(actor: Actor, import_id: int, *, uow: UnitOfWork | None = None) -> int:
    """Removes the import's records and restores those it replaced."""
    require_role(actor, ADMIN)
    with (uow or UnitOfWork()) as u:
        s = u.session
        record = get_or_raise(s, UsageImport, import_id)
        if record.undone_at is not None:
            raise DomainError("billing.import.error.already_undone")
        later = s.scalar(select(UsageRecord.superseded_by_import_id).where(
            UsageRecord.import_id == import_id, UsageRecord.superseded_by_import_id.is_not(None)).limit(1))
        if later is not None:
            raise DomainError("billing.import.error.replaced_later", import_id=later)
        s.execute(delete(UsageRecord).where(UsageRecord.import_id == import_id))
        s.execute(update(UsageRecord).where(UsageRecord.superseded_by_import_id == import_id)
                  .values(superseded_by_import_id=None))
        record.undone_at, record.undone_by_login_id = clock.now(), actor.login_id
        audit.record(s, actor, AuditAction.USAGE_IMPORT_UNDONE, target_type="usage_import", target_id=import_id,
                     before={"file_name": record.file_name, "row_count": record.row_count})
        u.commit()
        return import_id


def _summary(r: UsageImport) -> ImportSummary:
    return ImportSummary(r.id, r.file_name, r.row_count, r.replace, r.imported_at, r.imported_by_login_id,
                         r.undone_at, r.undone_by_login_id)


def imports(actor: Actor, *, limit: int = 50, uow: UnitOfWork | None = None) -> list[ImportSummary]:
    require_role(actor, ADMIN)
    with (uow or UnitOfWork()) as u:
        return [_summary(r) for r in u.session.scalars(
            select(UsageImport).order_by(UsageImport.id.desc()).limit(limit))]
