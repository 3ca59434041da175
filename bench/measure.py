"""Timing helpers and the figures table every bench prints."""
from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from bench.scratch import OUT_DIR


@dataclass
class Figure:
    bench: str            # e.g. "queue: open, oldest first"
    backend: str          # sqlite / postgres
    size: int             # applications (or users) in the database
    median_ms: float
    p90_ms: float | None = None
    min_ms: float | None = None
    runs: int = 1
    extra: dict = field(default_factory=dict)   # rows, bytes, peak memory, ...


def quiet_streamlit() -> None:
    """AppTest and cache clearing outside a server log "missing ScriptRunContext" by the dozen."""
    import os
    os.environ["STREAMLIT_LOGGER_LEVEL"] = "error"  # AppTest re-reads the config and would reset the level
    from streamlit import logger
    logger.set_log_level("error")


def time_runs(fn: Callable[[], object], runs: int, warmup: int = 2) -> list[float]:
    """Seconds per call, after `warmup` calls that fill caches (statement cache, page cache)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return samples


def figure(bench: str, backend: str, size: int, samples: list[float], **extra) -> Figure:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))] if len(ordered) > 2 else None
    return Figure(bench, backend, size, statistics.median(samples) * 1000,
                  p90 * 1000 if p90 is not None else None, min(samples) * 1000, len(samples), extra)


def _fmt_ms(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"


def _fmt_extra(extra: dict) -> str:
    parts = []
    for k, v in extra.items():
        if isinstance(v, float):
            v = f"{v:,.2f}"
        elif isinstance(v, int):
            v = f"{v:,}"
        parts.append(f"{k}={v}")
    return ", ".join(parts)


def print_table(figures: list[Figure], title: str) -> None:
    """A Markdown table; `ratio` is the median over the median of the smallest size of the same bench."""
    print(f"\n### {title}\n")
    print("| bench | backend | size | median ms | p90 ms | min ms | runs | ratio | notes |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    smallest: dict[tuple[str, str], Figure] = {}
    for f in figures:
        key = (f.bench, f.backend)
        if key not in smallest or f.size < smallest[key].size:
            smallest[key] = f
    order = {b: i for i, b in reversed(list(enumerate(f.bench for f in figures)))}
    for f in sorted(figures, key=lambda f: (order[f.bench], f.backend, f.size)):
        base = smallest[(f.bench, f.backend)]
        ratio = f"{f.median_ms / base.median_ms:.2f}×" if base is not f and base.median_ms else ""
        print(f"| {f.bench} | {f.backend} | {f.size:,} | {_fmt_ms(f.median_ms)} | {_fmt_ms(f.p90_ms)} | "
              f"{_fmt_ms(f.min_ms) if f.runs > 1 else '-'} | {f.runs} | {ratio} | {_fmt_extra(f.extra)} |")


def save(figures: list[Figure], name: str) -> str:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = OUT_DIR / f"{name}-{stamp}.json"
    path.write_text(json.dumps([asdict(f) for f in figures], ensure_ascii=False, indent=1))
    return str(path)
