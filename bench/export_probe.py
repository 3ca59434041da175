"""One CSV export in a fresh process, figures printed as JSON.

A fresh process gives a clean peak RSS (the generator's batches would otherwise set the high-water
mark). Run twice by bench_review: once for time (no tracing), once under tracemalloc for the peak of
Python allocations while streaming.

    python -m bench.export_probe <database url> time|memory
"""
from __future__ import annotations

import json
import sys
import time
import tracemalloc


def main(url: str, mode: str) -> dict:
    from bench.scratch import use_database
    use_database(url)
    from bench.actors import reviewer_actor
    from services.review.export import export_csv
    from services.review.queue import QueueFilters
    from services.workflow import ApplicationStatus

    actor = reviewer_actor()
    filters = QueueFilters(statuses=tuple(ApplicationStatus))  # every row, 入力中 included: the row count is the table size
    rss_before_kb = _reset_high_water_mark()
    if mode == "memory":
        tracemalloc.start()
    lines = size = biggest_chunk = 0
    started = time.perf_counter()
    for chunk in export_csv(actor, filters, "-submitted_at"):
        lines += chunk.count(b"\r\n")
        size += len(chunk)
        biggest_chunk = max(biggest_chunk, len(chunk))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if mode == "memory" else None
    return {"seconds": seconds, "rows": lines - 1, "bytes": size, "biggest_chunk": biggest_chunk,
            "tracemalloc_peak": peak, "rss_before_kb": rss_before_kb, "rss_peak_kb": _status_kb("VmHWM")}


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


def _reset_high_water_mark() -> int:
    """Linux: writing 5 to clear_refs resets VmHWM to the current RSS, so the peak measured
    afterwards belongs to the export alone, not to the imports before it."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return _status_kb("VmRSS")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
