"""What one page run costs (issue 9 item 2): wall time, script runs, SQL statements, and where the
time goes, for a wizard save, a reviewer dashboard run and a trivial page, through the whole app.py.

    python -m bench.bench_page_run [--runs 20] [--applications 100000] [--backend sqlite|postgres]
                                   [--cases wizard-save dashboard ...] [--profile] [--top 25] [--sql] [--keep]

A scratch database (bench.scratch) holds one applicant with a started 新規利用申込 and one reviewer,
and with --applications N also N generated applications (bench.generate: the reviewer is then the
generator's bench-reviewer-01). Each case is a Streamlit AppTest of app.py for a session that is
logged in (the state the login form leaves: cookie check, user re-check, navigation, the page), and
one measured step repeated --runs times after a warm-up:

- wizard-save: 申込事務担当者 部署名 gets a new value and 「保存」 is clicked (checked: 「保存しました」
  and the value in the database);
- wizard-rerun: the wizard run again with nothing changed (what any widget without its own
  callback costs on that page);
- dashboard: the review dashboard run again (a reviewer clicking anything on it);
- dashboard-queue: a change of the queue's 接続形態 filter (what a filter, sort or page click costs):
  when the page draws the queue in an st.fragment, only the fragment reruns, as the browser asks
  for it (RerunData.fragment_id_queue: AppTest itself always reruns the whole script);
- dashboard-first: a new session at the site's root, which opens a reviewer's dashboard (two
  script runs: the root's route() switches page; st.cache_data emptied first);
- home: the staff home page through app.py (the app's own floor: login check, navigation, sidebar);
- trivial: a one-line `st.write` script on its own (Streamlit's floor, no app.py).

AppTest runs no gc.collect() after a run, which a server does unless `runner.postScriptGC` is off
(.streamlit/config.toml turns it off): bench_sessions shows that cost, this bench does not.

Per case: median / p90 / min wall time of the step (AppTest's own bookkeeping included), script
time (the script's own passes), script runs per step (st.rerun makes one click several
runs), and SQL statements per step (SQLAlchemy `before_cursor_execute` on every engine). --profile
adds cProfile of the script thread over all measured steps: the top functions by cumulative time.
--sql prints each case's statements, most frequent first. Asserts nothing; figures are printed and
saved as JSON in bench/out/.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.scratch import (
    OUT_DIR,
    exit_cleanly_on_sigterm,
    reachable_backends,
    scratch_database,
    sqlite_path,
    use_database,
)

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
WIZARD = "screens/applicant/application.py"
DASHBOARD = "screens/review/dashboard.py"
HOME = "screens/common/home.py"
DEPARTMENT_LABEL = "申込事務担当者 部署名"
SAVED_PREFIX = "保存しました"
PASSWORD = "Bench-Page-Run-Pass-2026"
TRIVIAL_SOURCE = "import streamlit as st\nst.write('hello')\n"
CASES = ("wizard-save", "wizard-rerun", "dashboard", "dashboard-queue", "dashboard-first", "home", "trivial")


# ------------------------------------------------------------------ what a run does (counters)

FRAGMENT_RUN: list[str] = []  # fragment ids the next AppTest run reruns alone (dashboard-queue)


def install_fragment_runs() -> None:
    """AppTest always reruns the whole script; the browser asks a fragment's widget change to rerun
    only that fragment. With FRAGMENT_RUN set, the next run asks for exactly that."""
    import dataclasses

    from streamlit.testing.v1.local_script_runner import LocalScriptRunner
    original = LocalScriptRunner.request_rerun
    if getattr(original, "_bench_fragment", False):
        return

    def request_rerun(self, rerun_data):
        if not FRAGMENT_RUN:
            return original(self, rerun_data)
        # A new LocalScriptRunner already holds a full-run request (its initial RerunData), which
        # would absorb a fragment request: the pending request is replaced by the fragment's, as
        # the browser's BackMsg with a fragment_id makes it.
        requests = self._requests
        with requests._lock:
            requests._rerun_data = dataclasses.replace(rerun_data, fragment_id_queue=list(FRAGMENT_RUN))
        return True

    request_rerun._bench_fragment = True  # type: ignore[attr-defined]
    LocalScriptRunner.request_rerun = request_rerun  # type: ignore[method-assign]


@dataclass
class Probe:
    """Counts script runs and SQL statements, and times the script, while `active`."""
    active: bool = False
    runs: int = 0
    script_s: float = 0.0
    statements: Counter = field(default_factory=Counter)
    profiler: cProfile.Profile | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        self.runs, self.script_s, self.statements = 0, 0.0, Counter()


PROBE = Probe()


def install_probe() -> None:
    """Counts script runs (each pass through exec_func_with_error_handling: an st.rerun or
    st.switch_page starts another pass inside the same ScriptRunner._run_script), times and
    profiles them in the script thread (where the profiler must be enabled), and listens to every
    engine's statements. AppTest gives each run a new ScriptCache, so every run would compile
    app.py and the page again (~25 ms of AST work for the dashboard); a server keeps one cache for
    all sessions, so here one shared cache stands in for it."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    original = script_runner.exec_func_with_error_handling
    if getattr(original, "_bench_probe", False):
        return

    def exec_counted(func, ctx):
        if not PROBE.active:
            return original(func, ctx)
        PROBE.runs += 1
        profiler = PROBE.profiler
        t0 = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        try:
            return original(func, ctx)
        finally:
            if profiler is not None:
                profiler.disable()
            PROBE.script_s += time.perf_counter() - t0

    exec_counted._bench_probe = True  # type: ignore[attr-defined]
    script_runner.exec_func_with_error_handling = exec_counted  # type: ignore[assignment]
    shared = ScriptCache()
    local_script_runner.ScriptCache = app_test.ScriptCache = lambda: shared  # type: ignore[assignment,misc]

    @event.listens_for(Engine, "before_cursor_execute")
    def count(_conn, _cursor, statement, _params, _context, _executemany):
        if PROBE.active:
            with PROBE.lock:
                PROBE.statements[" ".join(statement.split())[:160]] += 1


@contextmanager
def probing(profiler: cProfile.Profile | None) -> Iterator[Probe]:
    PROBE.reset()
    PROBE.profiler = profiler
    PROBE.active = True
    try:
        yield PROBE
    finally:
        PROBE.active = False


# ------------------------------------------------------------------ the data and the sessions

@dataclass
class World:
    applicant_login: str
    application_id: int
    reviewer_login: str


def prepare_world(url: str, applications: int, *, reuse: bool = False) -> World:
    from db.engine import get_engine
    from db.migrate import upgrade
    from services.authz import REVIEWER
    from services.bootstrap import ensure_terms
    from tests.factories import make_applicant, make_staff, started
    reviewer = None
    if applications and reuse:  # kept from an earlier --keep run: the generator's first reviewer
        reviewer = "bench-reviewer-01"
        print(f"reusing {url}", flush=True)
    elif applications:
        from bench.generate import generate
        t0 = time.perf_counter()
        generated = generate(url, applications)
        reviewer = generated.reviewer_login_ids[0]
        print(f"generated {applications:,} applications in {time.perf_counter() - t0:.0f} s", flush=True)
    use_database(url)
    upgrade(get_engine())
    ensure_terms()
    tag = uuid.uuid4().hex[:8]  # a reused database already holds earlier runs' applicants
    applicant = make_applicant(None, f"bench-page-run-{tag}@example.jp", password=PASSWORD, company="計測物流株式会社")
    app_id = started(applicant)
    if reviewer is None:
        reviewer = make_staff(f"bench-page-reviewer-{tag}", REVIEWER).login_id
    return World(applicant.login_id, app_id, reviewer)


def logged_in_app(login_id: str, page: str | None):
    """app.py as a session that has just logged in: what the login form leaves in session state
    (ui.auth_adapter.mark_logged_in's keys, and when it authenticated)."""
    from streamlit.testing.v1 import AppTest

    from services import clock
    from services.auth import session_actor
    from ui import auth_adapter
    from ui.session import AUTH_AT_KEY
    actor = session_actor(login_id, clock.now())
    if actor is None:
        raise RuntimeError(f"{login_id} cannot log in")
    at = AppTest.from_file(str(APP), default_timeout=300)
    ss = at.session_state
    ss[auth_adapter.STATUS_KEY], ss[auth_adapter.USERNAME_KEY] = True, auth_adapter_username(login_id)
    ss[auth_adapter.NAME_KEY], ss[auth_adapter.ROLES_KEY] = actor.display_name, sorted(actor.roles)
    ss[auth_adapter.LOGOUT_KEY], ss[AUTH_AT_KEY] = False, clock.now()
    if page:  # AppTest resolves a page path through the pages st.navigation registered: one run first
        checked(at.run(), "landing page").switch_page(page)
    return at


def auth_adapter_username(login_id: str) -> str:
    from services.auth import login_key
    return login_key(login_id)  # the library's username is the login key (ui.auth_ui.start_session)


def checked(at, what: str):
    if at.exception:
        raise RuntimeError(f"{what}: {at.exception[0].value}")
    return at


def stored_department(app_id: int) -> str | None:
    from tests.factories import section_row
    return section_row(app_id, "applicant_contact")["data"].get("application_clerk_department")


# ------------------------------------------------------------------ the cases

def case_steps(case: str, world: World) -> tuple[Callable[[], None], Callable[[], None]]:
    """(set-up, step): the set-up runs unmeasured; the step is what one user action costs."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    state: dict = {}

    if case in ("wizard-save", "wizard-rerun"):
        def setup():
            state["at"] = checked(logged_in_app(world.applicant_login, WIZARD).run(), "wizard")
            state["i"] = 0

        def step():
            at = state["at"]
            if case == "wizard-rerun":
                checked(at.run(), "wizard rerun")
                return
            state["i"] += 1
            value = f"計測部 {state['i']}"
            next(w for w in at.text_input if w.label.startswith(DEPARTMENT_LABEL)).input(value)
            next(b for b in at.button if b.key == "wiz_save").click()
            checked(at.run(), "wizard save")
            if not any(str(s.value).startswith(SAVED_PREFIX) for s in at.success):
                raise RuntimeError("the save was not confirmed")
            if stored_department(world.application_id) != value:
                raise RuntimeError("the save is not in the database")
        return setup, step

    if case in ("dashboard", "home"):
        login, page = (world.reviewer_login, DASHBOARD) if case == "dashboard" else (world.reviewer_login, HOME)

        def setup():
            state["at"] = checked(logged_in_app(login, page).run(), case)

        def step():
            checked(state["at"].run(), case)
        return setup, step

    if case == "dashboard-queue":
        def setup():
            state["at"] = checked(logged_in_app(world.reviewer_login, DASHBOARD).run(), case)
            state["i"] = 0

        def step():
            at = state["at"]
            fragments = list(at._fragment_storage._fragments)  # the page's fragments, if any
            state["i"] += 1
            at.selectbox(key="rq_connection").set_value(("NET", "GENERAL")[state["i"] % 2])
            FRAGMENT_RUN[:] = fragments
            try:
                at.run()
            finally:
                FRAGMENT_RUN.clear()
            if at.exception:
                raise RuntimeError(f"{case}: {at.exception[0].value}")
            if fragments:  # the fragment's own run drew the table again
                state["at"] = at
        return setup, step

    if case == "dashboard-first":
        def step():  # a new session at the site's root: route() opens the reviewer's dashboard
            st.cache_data.clear()
            at = checked(logged_in_app(world.reviewer_login, None).run(), "dashboard first")
            if not at.metric:
                raise RuntimeError("the root did not open the dashboard")
        return (lambda: None), step

    if case == "trivial":
        def setup():
            state["at"] = AppTest.from_string(TRIVIAL_SOURCE, default_timeout=60).run()

        def step():
            checked(state["at"].run(), "trivial")
        return setup, step
    raise ValueError(case)


@dataclass
class CaseResult:
    case: str
    backend: str
    applications: int
    wall_ms: list[float]
    script_ms: float            # per step, median over steps
    runs_per_step: float
    sql_per_step: float
    top: list[tuple[str, float, float, int]] = field(default_factory=list)   # (function, cum s/step, tot s/step, calls/step)
    statements: list[tuple[str, float]] = field(default_factory=list)        # (statement, per step)


def measure(case: str, world: World, backend: str, applications: int, runs: int, profile: bool,
            top: int) -> CaseResult:
    setup, step = case_steps(case, world)
    setup()
    step()  # warm-up: caches, statement cache, imports of the page
    walls, scripts, run_counts, sql_counts = [], [], [], []
    statements: Counter = Counter()
    profiler = cProfile.Profile() if profile else None
    for _ in range(runs):
        with probing(profiler) as probe:
            t0 = time.perf_counter()
            step()
            walls.append((time.perf_counter() - t0) * 1000)
        scripts.append(probe.script_s * 1000)
        run_counts.append(probe.runs)
        sql_counts.append(sum(probe.statements.values()))
        statements.update(probe.statements)
    result = CaseResult(case, backend, applications, walls, statistics.median(scripts),
                        statistics.mean(run_counts), statistics.mean(sql_counts),
                        statements=[(s, n / runs) for s, n in statements.most_common()])
    if profiler is not None:
        result.top = top_functions(profiler, runs, top)
    return result


def top_functions(profiler: cProfile.Profile, steps: int, count: int) -> list[tuple[str, float, float, int]]:
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((f"{_short(filename)}:{line}({name})", cumtime / steps, tottime / steps, calls // steps))
    rows.sort(key=lambda r: r[1], reverse=True)
    return rows[:count]


def _short(filename: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# ------------------------------------------------------------------ output

def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]


def print_results(results: list[CaseResult], show_sql: bool) -> None:
    print("\n| case | backend | applications | median ms | p90 ms | min ms | script ms | script runs | SQL statements |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r.case} | {r.backend} | {r.applications:,} | {statistics.median(r.wall_ms):.1f} | "
              f"{_p90(r.wall_ms):.1f} | {min(r.wall_ms):.1f} | {r.script_ms:.1f} | {r.runs_per_step:g} | "
              f"{r.sql_per_step:g} |")
    for r in results:
        if r.top:
            print(f"\n{r.case}: top functions by cumulative time (ms per step; tottime; calls per step)")
            for name, cum, tot, calls in r.top:
                print(f"  {cum * 1000:8.1f} {tot * 1000:8.1f} {calls:7d}  {name}")
        if show_sql and r.statements:
            print(f"\n{r.case}: SQL statements per step")
            for statement, per_step in r.statements:
                print(f"  {per_step:5.1f}  {statement}")


def main(argv: list[str] | None = None) -> list[CaseResult]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--applications", type=int, nargs="+", default=[0],
                        help="generated applications besides the measured ones (one database per size)")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--profile", action="store_true", help="cProfile the script thread")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="print each case's SQL statements")
    parser.add_argument("--keep", action="store_true",
                        help="SQLite: keep bench/out/page_run_<N>.db and reuse it next time (no new generation)")
    args = parser.parse_args(argv)
    exit_cleanly_on_sigterm()
    os.environ.setdefault("NSS_BCRYPT_ROUNDS", "4")  # no login is measured: hashing the fixtures fast
    os.environ.setdefault("NSS_DATA_DIR", tempfile.mkdtemp(prefix="nss-bench-page-run-"))
    from bench.measure import quiet_streamlit
    quiet_streamlit()
    install_probe()
    install_fragment_runs()
    backend = (reachable_backends([args.backend]) or ["sqlite"])[0]
    results: list[CaseResult] = []
    for size in args.applications:
        name = f"page_run_{size}"
        reuse = args.keep and backend == "sqlite" and size > 0 and sqlite_path(name).exists()
        with scratch_database(backend, name, keep=args.keep, fresh=not reuse) as url:
            world = prepare_world(url, size, reuse=reuse)
            for case in args.cases:
                print(f"[{backend} {size:,}] {case} ...", flush=True)
                results.append(measure(case, world, backend, size, args.runs, args.profile, args.top))
    print_results(results, args.sql)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"page_run-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=1))
    print(f"\nsaved {path}  (load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])})")
    return results


if __name__ == "__main__":
    main()
