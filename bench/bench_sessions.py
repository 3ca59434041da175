"""Load benchmark (issue 9 item 1): N real Streamlit sessions against real `streamlit run app.py` servers.

    python -m bench.bench_sessions --sessions 5 20 50 --seconds 60 [--backend sqlite|postgres] [--servers 1|2]
                                   [--proxy]   # through Debian's nginx, deploy/nginx/nss-portal.conf

Per N: fresh server(s) on free 127.0.0.1 ports with a fresh data folder (NSS_DEMO=1, bcrypt cost
NSS_BCRYPT_ROUNDS = 12 unless --bcrypt-rounds; PostgreSQL: a fresh database, dropped afterwards).
A warm-up session draws the login page once per server (migrations + demo seed, timed as "first
page"). Then N applicants are made through the production services (one temporary account and one
started 新規利用申込 each, no forced password change), and N client threads speak Streamlit's own
websocket protocol (BackMsg rerun_script with widget states built from the ForwardMsg deltas, as
the browser does): each opens the wizard's URL, logs in through the login form, and once every
session has logged in, for --seconds, changes 申込担当者の部署 and clicks the screen's 「保存」
(which saves without leaving the screen), waits for the run to end, thinks 1.5–4.5 s, repeats.

Latency = from sending the click to the ForwardMsg script_finished of the last run it caused
(st.rerun makes one click several runs). Errors = exception elements, runs that did not confirm
the save, timeouts, disconnects. Lost = sessions whose last confirmed value is not what the
database holds afterwards. RSS = the server processes' VmRSS (/proc), sampled every second.
With --proxy the sessions connect to nginx (tests/nginx_proxy.py: the deployment's config, sticky
cookie routing; a client without the cookie is routed at random, so sessions spread over the
servers as new browsers do), and "per server" counts the websockets each server held (nginx's
access log). Without it, session i talks to server i mod 2 directly.
Talks only to 127.0.0.1; stops by itself and kills its servers.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.scratch import OUT_DIR, exit_cleanly_on_sigterm, scratch_database, use_database

ROOT = Path(__file__).resolve().parent.parent
WIZARD_PAGE = "application"        # ui/nav.py url_path of screens/applicant/application.py
SCREEN = "applicant_contact"       # the wizard's first screen; a started application opens on it
FIELD = "application_clerk_department"
FIELD_KEY = re.compile(rf"wiz_f_{SCREEN}_\d+_{FIELD}$")
SAVE_KEY = re.compile(r"(^|-)wiz_save$")
LOGIN_ID_LABEL, PASSWORD_LABEL, LOGIN_SUBMIT_LABEL = "ログイン ID", "パスワード", "ログイン"
SAVED_PREFIX = "保存しました"       # wizard.msg.saved / saved_partial (the flash of the next run)
PASSWORD = "Bench-Sessions-Pass-2026"
RUN_TIMEOUT = 180.0


# ------------------------------------------------------------------ pure helpers (unit-tested)

def percentile(values: Iterable[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100), at least 1
    return ordered[int(min(rank, len(ordered))) - 1]


@dataclass(frozen=True)
class Widget:
    kind: str       # the element's oneof name: text_input, button, ...
    id: str
    label: str
    form_id: str = ""


def widgets(messages: Iterable) -> list[Widget]:
    """Every widget drawn by a list of ForwardMsg (new_element deltas), in order."""
    found = []
    for msg in messages:
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            continue
        proto = getattr(element, kind)
        widget_id = getattr(proto, "id", "")
        if isinstance(widget_id, str) and widget_id:
            found.append(Widget(kind, widget_id, getattr(proto, "label", ""), getattr(proto, "form_id", "")))
    return found


def find_widget(messages: Iterable, kind: str, *, label: str | None = None,
                key: re.Pattern[str] | None = None) -> Widget | None:
    """The first widget of this kind whose label is `label` or whose id (…-<user key>) matches `key`."""
    for w in widgets(messages):
        if w.kind != kind:
            continue
        if label is not None and w.label != label:
            continue
        if key is not None and not key.search(w.id):
            continue
        return w
    return None


def texts(messages: Iterable) -> list[str]:
    """Alert and markdown bodies, and exception messages, of a list of ForwardMsg."""
    out = []
    for msg in messages:
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind in ("alert", "markdown"):
            out.append(getattr(element, kind).body)
    return out


def exceptions(messages: Iterable) -> list[str]:
    out = []
    for msg in messages:
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                and msg.delta.new_element.WhichOneof("type") == "exception":
            exc = msg.delta.new_element.exception
            out.append(f"{exc.type}: {exc.message}")
    return out


# ------------------------------------------------------------------ one websocket session

class SessionError(Exception):
    pass


class Client:
    """One browser tab, as far as the server can tell: a websocket, widget states, page runs."""

    def __init__(self, port: int) -> None:
        from websockets.sync.client import connect
        self._connection = connect(f"ws://127.0.0.1:{port}/_stcore/stream",
                                   subprotocols=["streamlit"],  # type: ignore[list-item]
                                   max_size=None, open_timeout=RUN_TIMEOUT, compression=None,
                                   ping_interval=None)  # a browser sends no websocket pings either
        self.ws = self._connection.__enter__()
        self.last_run: list = []   # the ForwardMsgs of the last finished run
        self.page_hash = ""        # the page the last run drew (new_session), as the browser's URL keeps it

    def close(self) -> None:
        with suppress(Exception):
            self._connection.__exit__(None, None, None)

    def rerun(self, states: list | None = None, *, page_name: str = "") -> list:
        """Sends rerun_script for `page_name` (a URL path; first run) or else the page shown now, as
        the browser does; returns the messages of the last run it caused (reruns followed)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        back = BackMsg()
        back.rerun_script.query_string = ""
        if page_name:
            back.rerun_script.page_name = page_name
        else:
            back.rerun_script.page_script_hash = self.page_hash
        for s in states or []:
            back.rerun_script.widget_states.widgets.append(s)
        self.ws.send(back.SerializeToString())
        deadline = time.monotonic() + RUN_TIMEOUT
        run: list = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no script_finished within {RUN_TIMEOUT:.0f} s")
            data = self.ws.recv(timeout=left)
            msg = ForwardMsg()
            msg.ParseFromString(data if isinstance(data, bytes) else data.encode())
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                run = []
                self.page_hash = msg.new_session.page_script_hash
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun: the next run follows by itself
                self.last_run = run
                return run
            elif kind == "page_not_found":
                raise SessionError("page not found")
            run.append(msg)


def text_state(widget: Widget, value: str):
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    s = WidgetState(id=widget.id)
    s.string_value = value
    return s


def trigger_state(widget: Widget):
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    s = WidgetState(id=widget.id)
    s.trigger_value = True
    return s


@dataclass
class SessionResult:
    index: int
    login_id: str
    application_id: int
    server: int
    login_s: float | None = None
    saves: list[float] = field(default_factory=list)   # seconds per confirmed save
    errors: list[str] = field(default_factory=list)
    confirmed: str | None = None                       # the last value the server said it saved
    attempted_after: list[str] = field(default_factory=list)  # sent since, unconfirmed


def count_lost(results: Iterable[SessionResult], stored: dict[int, str | None]) -> int:
    """Sessions whose last confirmed save is not what the database holds (a later unconfirmed
    attempt of the same session, e.g. one cut off by a timeout, may have replaced it)."""
    return sum(1 for r in results if r.confirmed is not None
               and stored.get(r.application_id) != r.confirmed
               and stored.get(r.application_id) not in r.attempted_after)


def run_session(res: SessionResult, port: int, go: threading.Event, stop_at: list[float],
                logged_in: threading.Semaphore, pause: tuple[float, float]) -> None:
    client: Client | None = None
    rng = random.Random(res.index)
    try:
        time.sleep(rng.uniform(0, 2))  # tabs are not opened in the same millisecond
        client = Client(port)
        run = client.rerun(page_name=WIZARD_PAGE)  # the wizard's URL: logged out, the login page keeps it
        user = find_widget(run, "text_input", label=LOGIN_ID_LABEL)
        pw = find_widget(run, "text_input", label=PASSWORD_LABEL)
        submit = find_widget(run, "button", label=LOGIN_SUBMIT_LABEL)
        if not (user and pw and submit):
            raise SessionError("no login form: " + "; ".join(exceptions(run) or texts(run)[:3]))
        t0 = time.perf_counter()
        run = client.rerun([text_state(user, res.login_id), text_state(pw, PASSWORD), trigger_state(submit)])
        res.login_s = time.perf_counter() - t0
        if exceptions(run):
            raise SessionError("login: " + exceptions(run)[0])
        if find_widget(run, "button", key=SAVE_KEY) is None:
            raise SessionError("login did not open the wizard: " + "; ".join(texts(run)[:3]))
    except Exception as exc:
        res.errors.append(f"login: {type(exc).__name__}: {exc}")
        if client:
            client.close()
        return
    finally:
        logged_in.release()
    go.wait()
    i = 0
    try:
        while time.monotonic() < stop_at[0]:
            time.sleep(rng.uniform(*pause))
            if time.monotonic() >= stop_at[0]:
                break
            field_w = find_widget(client.last_run, "text_input", key=FIELD_KEY)
            save_w = find_widget(client.last_run, "button", key=SAVE_KEY)
            if field_w is None or save_w is None:
                raise SessionError("the wizard screen lost its field or 保存 button")
            i += 1
            value = f"計測部 {res.index}-{i}"
            res.attempted_after.append(value)
            t0 = time.perf_counter()
            try:
                run = client.rerun([text_state(field_w, value), trigger_state(save_w)])
            except TimeoutError as exc:
                res.errors.append(f"save timeout: {exc}")
                raise
            elapsed = time.perf_counter() - t0
            errs = exceptions(run)
            if errs:
                res.errors.append("exception: " + errs[0])
            elif not any(t.startswith(SAVED_PREFIX) for t in texts(run)):
                res.errors.append("save not confirmed: " + "; ".join(texts(run)[:2]))
            else:
                res.saves.append(elapsed)
                res.confirmed, res.attempted_after = value, []
    except Exception as exc:
        if not any(e.startswith("save timeout") for e in res.errors[-1:]):
            res.errors.append(f"disconnect/error: {type(exc).__name__}: {exc}")
    finally:
        client.close()


# ------------------------------------------------------------------ servers

def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system, all threads) the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path


def wait_healthy(server: Server, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.process.returncode}; see {server.log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("streamlit did not answer /_stcore/health")


@contextmanager
def servers(count: int, data_dir: Path, database_url: str | None, rounds: int, smtp_port: int,
            cookie_key: str, *, behind_proxy: bool = False) -> Iterator[list[Server]]:
    started: list[Server] = []
    try:
        for n in range(count):
            port = free_port()
            env = {k: v for k, v in os.environ.items()
                   if k not in ("DATABASE_URL", "NSS_COOKIE_KEY", "TEST_DATABASE_URL", "NSS_DATA_DIR", "NSS_DEMO")}
            env.update({"NSS_DATA_DIR": str(data_dir / f"server{n}"), "NSS_DEMO": "1",
                        "NSS_BCRYPT_ROUNDS": str(rounds), "NSS_BASE_URL": f"http://127.0.0.1:{port}",
                        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port),
                        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"})
            if database_url:
                env.update({"DATABASE_URL": database_url, "NSS_COOKIE_KEY": cookie_key})
            if behind_proxy:
                env["NSS_TRUSTED_PROXY_HEADER"] = "X-Forwarded-For"
            log = data_dir / f"streamlit{n}.log"
            process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.headless", "true"],
                cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
            started.append(Server(port, process, log))
        for s in started:
            wait_healthy(s)
        yield started
    finally:
        for s in started:
            s.process.terminate()
        for s in started:
            try:
                s.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                s.process.kill()
                s.process.wait()


def make_sessions(n: int) -> list[tuple[str, int]]:
    """N applicants (temporary accounts, no forced change) with a started application each."""
    from tests.factories import make_applicant, started
    out = []
    for i in range(n):
        actor = make_applicant(None, f"bench-{i}@example.jp", password=PASSWORD, company=f"計測物流{i}株式会社")
        out.append((actor.login_id, started(actor)))
    return out


def stored_values(application_ids: list[int]) -> dict[int, str | None]:
    from sqlalchemy import select

    from db.models import ApplicationSection
    from services.uow import UnitOfWork
    with UnitOfWork() as u:
        rows = u.session.execute(select(ApplicationSection.application_id, ApplicationSection.data).where(
            ApplicationSection.application_id.in_(application_ids), ApplicationSection.section_key == SCREEN))
        return {app_id: (data or {}).get(FIELD) for app_id, data in rows}


def load_avg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# ------------------------------------------------------------------ one N

def bench_n(n: int, seconds: float, backend: str, server_count: int, rounds: int,
            pause: tuple[float, float], proxy: bool = False) -> dict:
    from tests.nginx_proxy import NginxProxy
    from tests.smtp_server import SmtpServer
    data_dir = Path(tempfile.mkdtemp(prefix="nss-bench-sessions-"))
    cookie_key = "bench-sessions-" + uuid.uuid4().hex + uuid.uuid4().hex
    with ExitStack() as stack:
        smtp = stack.enter_context(SmtpServer())
        database_url = None
        if backend == "postgres":
            database_url = stack.enter_context(scratch_database("postgres", f"sessions{n}"))
        srvs = stack.enter_context(servers(server_count, data_dir, database_url, rounds, smtp.port, cookie_key,
                                           behind_proxy=proxy))
        nginx = stack.enter_context(NginxProxy([s.port for s in srvs])) if proxy else None
        first_page = []
        for s in srvs:  # one after the other: the first migrates and seeds, the next finds it done
            t0 = time.perf_counter()
            warm = Client(s.port)
            run = warm.rerun()
            warm.close()
            first_page.append(round(time.perf_counter() - t0, 2))
            if exceptions(run):
                raise RuntimeError("first page: " + exceptions(run)[0])
        os.environ["NSS_BCRYPT_ROUNDS"] = str(rounds)
        use_database(database_url or f"sqlite:///{data_dir / 'server0' / 'nss.db'}")
        t0 = time.perf_counter()
        made = make_sessions(n)
        setup_s = time.perf_counter() - t0
        rss_idle = [rss_mb(s.process.pid) for s in srvs]
        results = [SessionResult(i, login, app_id, i % server_count) for i, (login, app_id) in enumerate(made)]
        go, logged_in = threading.Event(), threading.Semaphore(0)
        stop_at = [float("inf")]
        rss_peak = [0.0] * len(srvs)
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.is_set():
                for k, s in enumerate(srvs):
                    rss_peak[k] = max(rss_peak[k], rss_mb(s.process.pid) or 0.0)
                sampling.wait(1.0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        threads = [threading.Thread(target=run_session, daemon=True,
                                    args=(r, nginx.port if nginx else srvs[r.server].port, go, stop_at, logged_in,
                                          pause)) for r in results]
        t_login = time.perf_counter()
        cpu_login = [cpu_s(s.process.pid) for s in srvs]
        for t in threads:
            t.start()
        for _ in threads:
            logged_in.acquire()
        login_phase = time.perf_counter() - t_login
        rss_logged_in = [rss_mb(s.process.pid) for s in srvs]
        load_start = load_avg()
        cpu_start = [cpu_s(s.process.pid) for s in srvs]
        stop_at[0] = time.monotonic() + seconds
        go.set()
        for t in threads:
            t.join(timeout=seconds + RUN_TIMEOUT + 30)
        cpu_end = [cpu_s(s.process.pid) for s in srvs]
        load_end = load_avg()
        sampling.set()
        sampler.join()
        rss_end = [rss_mb(s.process.pid) for s in srvs]
        stored = stored_values([r.application_id for r in results])
        alive = [s.process.poll() is None for s in srvs]
        per_server = websockets_per_server(nginx, srvs, n) if nginx else [
            sum(1 for r in results if r.server == k) for k in range(len(srvs))]
    kept_logs = _keep_logs_if_errors(data_dir, results, n)
    shutil.rmtree(data_dir, ignore_errors=True)

    lost = count_lost(results, stored)
    saves = [s for r in results for s in r.saves]
    logins = [r.login_s for r in results if r.login_s is not None]
    errors = [e for r in results for e in r.errors]
    # The servers' CPU time per confirmed save (during the saving window nothing else reaches them):
    # what a save costs the server, far less sensitive to other load on the machine than latency.
    saving_cpu = _cpu_used(cpu_start, cpu_end)
    login_cpu = _cpu_used(cpu_login, cpu_start)
    return {
        "sessions": n, "backend": backend, "servers": server_count, "via": "nginx" if proxy else "direct",
        "sessions_per_server": per_server, "seconds": seconds, "bcrypt_rounds": rounds,
        "saves": len(saves), "errors": len(errors), "lost": lost,
        "save_p50_s": _r(percentile(saves, 50)), "save_p95_s": _r(percentile(saves, 95)),
        "save_max_s": _r(max(saves) if saves else None), "saves_per_s": round(len(saves) / seconds, 2),
        "login_p50_s": _r(percentile(logins, 50)), "login_max_s": _r(max(logins) if logins else None),
        "login_phase_s": round(login_phase, 1), "first_page_s": first_page, "setup_s": round(setup_s, 1),
        "rss_mb_idle": _rl(rss_idle), "rss_mb_logged_in": _rl(rss_logged_in), "rss_mb_peak": _rl(rss_peak),
        "rss_mb_end": _rl(rss_end), "servers_alive": alive,
        "server_cpu_s_saving": _r(saving_cpu), "server_cpu_ms_per_save": _r(saving_cpu / len(saves) * 1000)
        if saving_cpu is not None and saves else None,
        "server_cpu_ms_per_login": _r(login_cpu / len(logins) * 1000) if login_cpu is not None and logins else None,
        "loadavg_start": load_start, "loadavg_end": load_end,
        "error_samples": sorted(set(errors))[:10],
        "server_logs": kept_logs,
    }


def websockets_per_server(nginx, srvs: list[Server], sessions: int) -> list[int]:
    """The session websockets (/_stcore/stream) each server held, from nginx's access log, which
    writes a websocket's line once it has closed; the warm-up clients went to the servers directly."""
    deadline = time.monotonic() + 15
    while True:
        served = [r["upstream"].split(",")[-1].strip() for r in nginx.requests() if r["path"] == "/_stcore/stream"]
        if len(served) >= sessions or time.monotonic() > deadline:
            return [served.count(f"127.0.0.1:{s.port}") for s in srvs]
        time.sleep(0.2)


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def _keep_logs_if_errors(data_dir: Path, results: list[SessionResult], n: int) -> list[str]:
    """The servers' logs, copied to bench/out/ when a session met an error (the page shows only
    "This app has encountered an error"; the traceback is in the log)."""
    if not any(r.errors for r in results):
        return []
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = []
    for log in sorted(data_dir.glob("streamlit*.log")):
        target = OUT_DIR / f"bench_sessions-{stamp}-n{n}-{log.name}"
        shutil.copyfile(log, target)
        kept.append(str(target))
    return kept


def _cpu_used(before: list[float | None], after: list[float | None]) -> float | None:
    if any(v is None for v in (*before, *after)):
        return None
    return sum(b - a for a, b in zip(before, after, strict=True))  # type: ignore[operator]


def _rl(values: list) -> list:
    return [None if v is None else round(v, 1) for v in values]


def print_rows(rows: list[dict]) -> None:
    print("\n| sessions | backend | servers | saves | errors | lost | save p50 / p95 s | login p50 s "
          "| RSS MB idle → logged in → peak | load avg (start → end) |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | --- | --- |")
    for r in rows:
        rss = " + ".join(f"{a} → {b} → {c}" for a, b, c in zip(r["rss_mb_idle"], r["rss_mb_logged_in"],
                                                               r["rss_mb_peak"], strict=True))
        p50 = "-" if r["save_p50_s"] is None else f"{r['save_p50_s']:.2f}"
        p95 = "-" if r["save_p95_s"] is None else f"{r['save_p95_s']:.2f}"
        login = "-" if r["login_p50_s"] is None else f"{r['login_p50_s']:.1f}"
        where = f"{r['servers']}" if r["servers"] == 1 and r.get("via") != "nginx" else \
            f"{r['servers']} {r.get('via', 'direct')} ({'+'.join(map(str, r.get('sessions_per_server', [])))})"
        print(f"| {r['sessions']} | {r['backend']} | {where} | {r['saves']} | {r['errors']} | {r['lost']} "
              f"| {p50} / {p95} | {login} | {rss} | {r['loadavg_start']} → {r['loadavg_end']} |")
    print("\nServer CPU (all servers): ms per confirmed save / per login")
    for r in rows:
        print(f"  N={r['sessions']}: {r.get('server_cpu_ms_per_save')} / {r.get('server_cpu_ms_per_login')}")
    for r in rows:
        if r["error_samples"]:
            print(f"\nN={r['sessions']} errors (distinct, first 10):")
            for e in r["error_samples"]:
                print("  -", e[:300])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[5, 20, 50])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--servers", type=int, choices=(1, 2), default=1)
    parser.add_argument("--proxy", action="store_true",
                        help="sessions connect through Debian's nginx (deploy/nginx/nss-portal.conf) in front of the servers")
    parser.add_argument("--bcrypt-rounds", type=int, default=int(os.environ.get("NSS_BCRYPT_ROUNDS") or 12))
    parser.add_argument("--pause", type=float, nargs=2, default=(1.5, 4.5), metavar=("MIN", "MAX"),
                        help="think time between saves, seconds (default 1.5 4.5)")
    args = parser.parse_args(argv)
    if args.servers == 2 and args.backend != "postgres":
        parser.error("--servers 2 needs --backend postgres (two servers share one database)")
    exit_cleanly_on_sigterm()
    rows = []
    for n in args.sessions:
        print(f"N={n}: {args.backend}, {args.servers} server(s){' behind nginx' if args.proxy else ''}, {args.seconds:.0f} s, load avg {load_avg()}",
              flush=True)
        rows.append(bench_n(n, args.seconds, args.backend, args.servers, args.bcrypt_rounds, tuple(args.pause),
                            proxy=args.proxy))
        print(json.dumps({k: v for k, v in rows[-1].items() if k != "error_samples"}, ensure_ascii=False), flush=True)
    print_rows(rows)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = OUT_DIR / f"bench_sessions-{args.backend}-{args.servers}{'-nginx' if args.proxy else ''}-{stamp}.json"
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    print(f"\nsaved {path}")


if __name__ == "__main__":
    main()
