"""CSV export of the filtered queue, streamed from the database in chunks (memory stays flat).
Every cell goes through services.exports.safe_row: no typed value runs as a spreadsheet formula."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from services import clock
from services.authz import Actor, require_role
from services.exports import safe_row
from services.review.queue import VIEWER_ROLES, QueueFilters, queue_select, to_row
from services.uow import UnitOfWork

BOM = "\ufeff".encode("utf-8")  # Excel reads UTF-8 only with it
CHUNK_ROWS = 1000
# The download holds at most this many rows: Streamlit keeps a download button's whole file in the
# server's memory (+135 MB at 1M rows, issue 9 item 5); ~12 MB here. The page says so when the
# queue holds more than its count cap.
ROW_CAP = 50_000
# Column keys; the page passes their translated headers (services hold no screen words).
COLUMNS = ("ref_no", "kind", "shared_use", "status", "company_name", "contact_name", "connection_type",
           "industries", "submitted_at", "due_date", "overdue", "assignee")


def _values(row, labels: dict[str, dict[str, str]]) -> list[str]:
    def label(column: str, code: str | None) -> str:
        return labels.get(column, {}).get(code or "", code or "")
    submitted = row.submitted_at.astimezone(clock.JST).strftime("%Y-%m-%d %H:%M") if row.submitted_at else ""
    return [row.ref_no or "", label("kind", row.kind), "1" if row.shared_use else "0", label("status", row.status),
            row.company_name, row.contact_name, label("connection_type", row.connection_type),
            "、".join(row.industries), submitted,
            row.due_date.isoformat() if row.due_date else "", "1" if row.overdue else "0",
            row.assignee_login or ""]


def export_csv(actor: Actor, filters: QueueFilters | None = None, sort: str = "submitted_at",
               headers: dict[str, str] | None = None,
               value_labels: dict[str, dict[str, str]] | None = None, *, row_cap: int | None = None,
               uow: UnitOfWork | None = None) -> Iterator[bytes]:
    """Yields bytes: the BOM and header first, then one chunk per CHUNK_ROWS rows, at most
    `row_cap` (ROW_CAP unless given) rows in the sort order.

    `headers` maps column keys to their titles and `value_labels` maps codes of the kind, status
    and connection_type columns to words; both come translated from the page (codes otherwise)."""
    require_role(actor, *VIEWER_ROLES)
    filters = filters or QueueFilters()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row((headers or {}).get(c, c) for c in COLUMNS))
    yield BOM + buffer.getvalue().encode("utf-8")
    today = clock.today_jst()
    with (uow or UnitOfWork()) as u:
        # yield_per streams with a server-side cursor on PostgreSQL and fetchmany on SQLite.
        result = u.session.execute(queue_select(actor, filters, sort).limit(row_cap or ROW_CAP).execution_options(yield_per=CHUNK_ROWS))
        for partition in result.partitions():
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(safe_row(_values(to_row(r, today), value_labels or {})) for r in partition)
            yield buffer.getvalue().encode("utf-8")
