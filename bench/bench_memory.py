"""Where a server's memory goes (issue 9 item 6): VmRSS of a fresh process after each group of imports
a Streamlit server of this app makes, then after the set-up and the first page runs (AppTest).

    python -m bench.bench_memory

Each line: the step, RSS after it, the growth, and Python's own allocations still held (tracemalloc
is not used: it doubles the allocations' cost and size; the figures are the kernel's). Asserts nothing.
"""
from __future__ import annotations

import importlib
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("streamlit (what `streamlit run` loads before the app)", ("streamlit", "streamlit.web.server.server",
                                                               "streamlit.runtime.scriptrunner.script_runner")),
    ("SQLAlchemy + db.models + alembic", ("sqlalchemy", "db.models", "db.migrate")),
    ("services (app.py's imports: auth, nav, login page)", ("ui.auth_ui", "ui.nav", "ui.deep_link", "ui.startup",
                                                            "ui.page_header", "ui.desk.banner")),
    ("pandas", ("pandas",)),
    ("pyarrow", ("pyarrow",)),
    ("openpyxl (survey forms, bulletin board)", ("openpyxl",)),
    ("faker (demo seed)", ("faker",)),
    ("pykakasi (English name suggestions)", ("pykakasi",)),
    ("services.bootstrap (everything the set-up imports)", ("services.bootstrap",)),
)


def main() -> None:
    os.environ.setdefault("NSS_DATA_DIR", tempfile.mkdtemp(prefix="nss-bench-memory-"))
    os.environ.setdefault("NSS_DEMO", "1")
    rows: list[tuple[str, float, float, float]] = []
    last = rss_mb()
    rows.append(("python itself", last, last, 0.0))
    for name, modules in STEPS:
        t0 = time.perf_counter()
        for module in modules:
            importlib.import_module(module)
        now = rss_mb()
        rows.append((name, now, now - last, time.perf_counter() - t0))
        last = now
    from bench.measure import quiet_streamlit
    quiet_streamlit()
    t0 = time.perf_counter()
    from services.bootstrap import prepare
    prepare()
    now = rss_mb()
    rows.append(("set-up: migrations, demo seed (prepare)", now, now - last, time.perf_counter() - t0))
    last = now
    from streamlit.testing.v1 import AppTest
    t0 = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    now = rss_mb()
    rows.append(("first app.py run (login page)", now, now - last, time.perf_counter() - t0))
    last = now
    from services.demo.seeding import DEMO_PASSWORD
    for login in ("demo-reviewer", "demo-desk"):
        t0 = time.perf_counter()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
        at.text_input[0].input(login)
        at.text_input[1].input(DEMO_PASSWORD)
        next(b for b in at.button if b.label == "ログイン").click().run()
        now = rss_mb()
        rows.append((f"log in as {login} and draw its home page", now, now - last, time.perf_counter() - t0))
        last = now
    import gc
    gc.collect()
    now = rss_mb()
    rows.append(("after gc.collect()", now, now - last, 0.0))
    print("\n| step | RSS MB | + MB | s |\n| --- | ---: | ---: | ---: |")
    for name, total, grown, seconds in rows:
        print(f"| {name} | {total:.1f} | {grown:+.1f} | {seconds:.2f} |")
    print(f"\nload average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


if __name__ == "__main__":
    main()
