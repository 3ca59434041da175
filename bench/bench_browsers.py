"""Clicks under load (issue 13 item 2): N Chromium pages at once against one `streamlit run app.py`.

    .venv/bin/python -m bench.bench_browsers --browsers 10 --rounds 5 [--bcrypt-rounds 12]

One server as the browser tests start it (tests/e2e/conftest.py start_app: a fresh data folder,
demo on, 127.0.0.1), at the production bcrypt cost unless told. N applicants (temporary accounts,
must_change_password=False, each with a started 新規利用申込) are made beforehand through the
services against that data folder's database. Then one Debian Chromium drives N pages at once, each
in its own browser context (its own cookies, its own Streamlit session), with Playwright's async API:

1. log in with ONE click, timed from the click to 「…でログイン中」. A click with no effect within
   15 s is a lost click (counted; the page then waits up to 60 s more and, if still nothing, clicks
   again: that retry is a login click too);
2. at once open the deep URL /application (a new page load: only the re-login cookie carries the
   login). Landing on the login page is a deep-link logout (counted; the page logs in again, and
   the kept URL opens after it);
3. R rounds of: type a new value into 「申込事務担当者 部署名」 and click 「保存」 (the same save as
   「次へ」, without leaving the screen), then wait for the run that click started to finish. A save
   is lost when its value is not in the database 15 s after the click.

Printed: browsers, login clicks, lost login clicks, login p50/p95, deep-link logouts, saves, lost
saves, save p50/p95, the server's RSS (peak) and the load average; JSON into bench/out/. The driver
(`prepare`, `drive`) is shared with tests/e2e/test_clicks_under_load.py.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.scratch import OUT_DIR

PASSWORD = "Bench-Browsers-Pass-2026"
LOGIN_LEAD = "仮ログイン ID、事業所コード、または職員 ID でログインしてください。"
LOGGED_IN = "でログイン中"
DEEP_PATH = "/application"
FIELD = "申込事務担当者 部署名"   # applicant_contact.application_clerk_department, optional text
FIELD_NAME, SECTION_KEY = "application_clerk_department", "applicant_contact"
LOST_AFTER = 15.0     # seconds: a click with no effect by then is a lost click
GIVE_UP_AFTER = 60.0  # seconds more before a lost login click is clicked again
WAIT_MS = 180_000     # any other wait for a page, a run or an element: long, it only ends a stuck page


@dataclass
class Applicant:
    login_id: str
    application_id: int


@dataclass
class BrowserResult:
    browser: int
    login_clicks: int = 0
    lost_login_clicks: int = 0          # no effect within 15 s
    login_seconds: list[float] = field(default_factory=list)
    deep_link_logouts: int = 0
    cookie_at_deep_link: bool | None = None
    saves: int = 0
    lost_saves: list[str] = field(default_factory=list)   # values never seen in the database
    unfinished_saves: int = 0           # the click's run had not finished within 15 s
    save_seconds: list[float] = field(default_factory=list)
    saved_values: list[str] = field(default_factory=list)
    late_saves: list[str] = field(default_factory=list)   # in the database, but only after 15 s
    field_lost_value: int = 0           # after the save's run the field no longer shows what was typed
    trace: list[str] = field(default_factory=list)  # BackMsgs sent / runs finished (with --trace)
    error: str | None = None


# ------------------------------------------------------------------ data, through the services

def prepare(data_dir: Path, n: int, bcrypt_rounds: int) -> list[Applicant]:
    """Migrate and seed the data folder the server will use, then make `n` applicants with a
    started application each, in this process with the server's settings (the environment, the
    settings cache and the engines are put back afterwards, so a test process is left as it was)."""
    import config
    from db.engine import dispose_all
    saved = dict(os.environ)
    os.environ.update({"NSS_DATA_DIR": str(data_dir), "NSS_DEMO": "1", "NSS_BCRYPT_ROUNDS": str(bcrypt_rounds)})
    for key in ("DATABASE_URL", "TEST_DATABASE_URL"):
        os.environ.pop(key, None)
    config.settings.cache_clear()
    try:
        return _make(data_dir, n)
    finally:
        dispose_all()
        os.environ.clear()
        os.environ.update(saved)
        config.settings.cache_clear()


def _make(data_dir: Path, n: int) -> list[Applicant]:
    from db.engine import get_engine
    from db.migrate import upgrade
    from services.application.start import start_application
    from services.auth import to_actor
    from services.bootstrap import ensure_terms
    from services.demo import seeding as demo
    from services.temp_accounts import Channel, create_temp_account, terms_in_force
    from services.uow import UnitOfWork

    data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(get_engine())
    ensure_terms()
    demo.seed_if_empty()
    made = []
    for i in range(n):
        with UnitOfWork() as u:
            values = {"contact_name": f"計測 太郎{i:02d}", "contact_kana": "ケイソク タロウ",
                      "company_name": f"計測物流{i:02d}株式会社", "department": "業務部",
                      "phone": "03-1234-5678", "email": f"bench-browser-{i:02d}@example.jp",
                      "corporate_number": ""}
            _, user = create_temp_account(u.session, values, terms=terms_in_force(u.session), via=Channel.WEB,
                                          password=PASSWORD)
            user.must_change_password = False  # as after the forced first change
            u.flush()
            actor = to_actor(user)
            app_id = start_application(actor, actor.applicant_id, False, uow=u)
            u.commit()
            made.append(Applicant(user.login_id, app_id))
    return made


def stored_value(db_path: Path, application_id: int) -> str | None:
    with sqlite3.connect(db_path, timeout=30) as db:
        row = db.execute("SELECT data FROM application_sections WHERE application_id = ? AND section_key = ?",
                         (application_id, SECTION_KEY)).fetchone()
    if row is None or row[0] is None:
        return None
    data = json.loads(row[0]) if isinstance(row[0], str) else row[0]
    return data.get(FIELD_NAME)


# ------------------------------------------------------------------ one browser page

async def _runs(page) -> dict:
    from tests.e2e.conftest import _RUN_COUNTER
    await page.wait_for_selector('[data-testid="stApp"]', timeout=WAIT_MS)
    return await page.evaluate(_RUN_COUNTER)


async def _wait_idle(page, timeout: float = WAIT_MS, *, after: dict | None = None) -> None:
    """The page's own witness only (the browser tests also count script_finished on the wire)."""
    from tests.e2e.conftest import _RUN_COUNTER
    if await _runs(page) is None:
        return
    done = ("([before, needRun]) => { const r = (" + _RUN_COUNTER + ")();"
            " return !!r && r.idle && (!needRun || r.finished > before.finished); }")
    await page.wait_for_function(done, arg=[after or {}, after is not None], timeout=timeout, polling=50)


async def _open_login(page, url: str) -> None:
    from playwright.async_api import expect
    await page.goto(url, timeout=WAIT_MS)
    await page.get_by_text(LOGIN_LEAD).first.wait_for(timeout=WAIT_MS)
    await _wait_idle(page, WAIT_MS)
    await expect(page.get_by_label("パスワード", exact=True)).to_have_count(1, timeout=WAIT_MS)


async def _login(page, who: Applicant, result: BrowserResult, lost_after: float = LOST_AFTER) -> None:
    """Fill the form and click once; time until the logged-in text. Lost clicks are counted."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    await page.get_by_label("ログイン ID").fill(who.login_id)
    await page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    logged_in = page.get_by_text(LOGGED_IN).first
    while True:
        result.login_clicks += 1
        t0 = time.monotonic()
        await page.get_by_role("button", name="ログイン", exact=True).click()
        try:
            await logged_in.wait_for(timeout=lost_after * 1000)
            result.login_seconds.append(time.monotonic() - t0)
            return
        except PlaywrightTimeout:
            result.lost_login_clicks += 1
        try:  # a slow answer rather than no answer: still lost for the user, but do not click again yet
            await logged_in.wait_for(timeout=GIVE_UP_AFTER * 1000)
            result.login_seconds.append(time.monotonic() - t0)
            return
        except PlaywrightTimeout:
            if result.login_clicks >= 3:
                raise
            await _wait_idle(page)


async def _save_rounds(page, who: Applicant, result: BrowserResult, rounds: int, db_path: Path,
                      lost_after: float = LOST_AFTER) -> None:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    save = page.get_by_role("button", name="保存", exact=True)
    await page.get_by_label(FIELD, exact=True).wait_for(timeout=WAIT_MS)
    for r in range(rounds):
        await _wait_idle(page)
        value = f"計測{result.browser:02d}-{r}-{time.monotonic_ns() % 100000}"
        box = page.get_by_label(FIELD, exact=True)
        await box.fill(value)  # as a person types: the click below takes the focus (no Tab, no wait)
        before = await _runs(page)
        t0 = time.monotonic()
        result.saves += 1
        await save.click()
        step = "the click's run"
        try:
            await _wait_idle(page, lost_after * 1000, after=before)
            step = "the 保存しました。 message"
            await page.get_by_text("保存しました。").first.wait_for(timeout=lost_after * 1000)
            result.save_seconds.append(time.monotonic() - t0)
            await _wait_idle(page)
            if await page.get_by_label(FIELD, exact=True).input_value() != value:
                result.field_lost_value += 1
                result.trace.append(f"field shows {await page.get_by_label(FIELD, exact=True).input_value()!r}, typed {value!r}")
        except PlaywrightTimeout:
            result.unfinished_saves += 1
            result.trace.append(f"unfinished save {value!r}: no {step} within {lost_after:.0f} s")
        deadline = t0 + lost_after
        while stored_value(db_path, who.application_id) != value:
            if time.monotonic() > deadline:
                result.lost_saves.append(value)
                break
            await asyncio.sleep(0.2)
        else:
            result.saved_values.append(value)


def _trace(page, result: BrowserResult) -> None:
    """Record what the page sends (rerun requests with the widget values they carry) and when a run
    finishes, decoded from the websocket's protobuf frames."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    t0 = time.monotonic()

    def stamp() -> str:
        return f"{time.monotonic() - t0:7.2f} {datetime.now().strftime('%H:%M:%S.%f')[:-3]}"

    def sent(payload) -> None:
        if isinstance(payload, str):
            return
        msg = BackMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind != "rerun_script":
            result.trace.append(f"{stamp()} > {kind}")
            return
        widgets = []
        for w in msg.rerun_script.widget_states.widgets:
            key = w.id.rsplit("-", 1)[-1] if "-" in w.id else w.id
            value = w.WhichOneof("value")
            if value == "trigger_value" and w.trigger_value or value == "string_value" and key.endswith("department"):
                widgets.append(f"{key}={getattr(w, value)}")
        result.trace.append(f"{stamp()} > rerun page={msg.rerun_script.page_name or msg.rerun_script.page_script_hash[:6]} "
                            + " ".join(widgets))

    def received(payload) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            result.trace.append(f"{stamp()} < script_finished {msg.script_finished}")
        elif kind == "session_status_changed":
            result.trace.append(f"{stamp()} < status running={msg.session_status_changed.script_is_running}")
        elif kind == "new_session":
            result.trace.append(f"{stamp()} < new_session")

    page.on("websocket", lambda ws: (ws.on("framesent", sent), ws.on("framereceived", received)))


async def _one(context, base_url: str, who: Applicant, number: int, rounds: int, db_path: Path,
               trace: bool = False, lost_after: float = LOST_AFTER) -> BrowserResult:
    result = BrowserResult(number)
    page = await context.new_page()
    if trace:
        _trace(page, result)
    try:
        await _open_login(page, base_url)
        await _login(page, who, result, lost_after)
        # At once, as a person pastes a bookmarked URL: a new page load, only the cookie carries the login.
        result.cookie_at_deep_link = any(c["name"] == "nss_auth" for c in await context.cookies())
        await page.goto(base_url + DEEP_PATH, timeout=WAIT_MS)
        landed = page.get_by_text(LOGGED_IN).or_(page.get_by_text(LOGIN_LEAD)).first
        await landed.wait_for(timeout=WAIT_MS)
        await _wait_idle(page, WAIT_MS)
        if not await page.get_by_text(LOGGED_IN).count():
            result.deep_link_logouts += 1
            await _open_login(page, base_url + DEEP_PATH)
            await _login(page, who, result, lost_after)
        await _wait_idle(page, WAIT_MS)
        await _save_rounds(page, who, result, rounds, db_path, lost_after)
    except Exception as exc:  # reported, not hidden: the figures say how far this page got
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        await page.close()
    return result


async def drive_async(base_url: str, applicants: list[Applicant], rounds: int, db_path: Path,
                      trace: bool = False, lost_after: float = LOST_AFTER) -> list[BrowserResult]:
    from playwright.async_api import async_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        contexts = [await browser.new_context(viewport={"width": 1366, "height": 900}, locale="ja-JP")
                    for _ in applicants]
        try:
            return list(await asyncio.gather(*(
                _one(ctx, base_url, who, i, rounds, db_path, trace, lost_after) for i, (ctx, who) in enumerate(zip(contexts, applicants, strict=True)))))
        finally:
            await browser.close()


def _run_in_own_loop(coroutine):
    """asyncio.run in a thread of its own: a test process that used Playwright's sync API before
    already has an event loop running in its main thread, where asyncio.run refuses to start."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # handed back to the caller's thread
            outcome["error"] = exc
    worker = threading.Thread(target=run, name="bench-browsers")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def drive(base_url: str, applicants: list[Applicant], rounds: int, db_path: Path,
          trace: bool = False, lost_after: float = LOST_AFTER) -> list[BrowserResult]:
    """All pages at once; returns one result per page. A save not in the database within
    `lost_after` seconds that is there at the end is moved from `lost_saves` to `late_saves`. The
    bench counts a click without effect after 15 s as lost (what a person at a desk calls lost);
    the browser test waits as long as its other waits, so a slow machine is not a lost click."""
    results = _run_in_own_loop(drive_async(base_url, applicants, rounds, db_path, trace, lost_after))
    for r, who in zip(results, applicants, strict=True):
        final = stored_value(db_path, who.application_id)
        if final in r.lost_saves:
            r.lost_saves.remove(final)
            r.late_saves.append(final)
    return results


# ------------------------------------------------------------------ figures

def _pct(samples: list[float], q: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class RssSampler:
    """The server process's resident memory (peak and last), its CPU time and the load average,
    sampled every 0.5 s."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb, self.last_kb, self.load_peak = pid, 0, 0, 0.0
        self.cpu_end = 0.0
        self.cpu_start = self.cpu_end = self._cpu()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _cpu(self) -> float:
        """CPU seconds the server has used (user + system)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return self.cpu_end

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        self.last_kb = int(line.split()[1])
                        self.peak_kb = max(self.peak_kb, self.last_kb)
            except OSError:
                pass
            self.load_peak = max(self.load_peak, os.getloadavg()[0])
            self.cpu_end = self._cpu()
            self._stop.wait(0.5)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def summarize(results: list[BrowserResult], db_path: Path, applicants: list[Applicant]) -> dict:
    logins = [s for r in results for s in r.login_seconds]
    saves = [s for r in results for s in r.save_seconds]
    # Afterwards: the last acknowledged value of each page is what the database holds.
    final_mismatch = 0
    for r, who in zip(results, applicants, strict=True):
        if r.saved_values and stored_value(db_path, who.application_id) != r.saved_values[-1]:
            final_mismatch += 1
    ms = lambda v: None if v is None else round(v * 1000)  # noqa: E731
    return {
        "browsers": len(results),
        "login clicks": sum(r.login_clicks for r in results),
        "lost login clicks": sum(r.lost_login_clicks for r in results),
        "login p50 ms": ms(statistics.median(logins)) if logins else None,
        "login p95 ms": ms(_pct(logins, 0.95)),
        "login max ms": ms(max(logins)) if logins else None,
        "cookie present at deep link": sum(bool(r.cookie_at_deep_link) for r in results),
        "deep-link logouts": sum(r.deep_link_logouts for r in results),
        "saves": sum(r.saves for r in results),
        "lost saves": sum(len(r.lost_saves) for r in results),
        "late saves (in the database only after 15 s)": sum(len(r.late_saves) for r in results),
        "saves whose run did not finish in 15 s": sum(r.unfinished_saves for r in results),
        "field no longer shows the typed value after the save": sum(r.field_lost_value for r in results),
        "final value differs from the last saved": final_mismatch,
        "save p50 ms": ms(statistics.median(saves)) if saves else None,
        "save p95 ms": ms(_pct(saves, 0.95)),
        "save max ms": ms(max(saves)) if saves else None,
        "pages with an error": sum(r.error is not None for r in results),
    }


def run(browsers: int, rounds: int, bcrypt_rounds: int, keep: bool = False, trace: bool = False,
        server_debug: bool = False) -> dict:
    from tests.e2e.conftest import start_app
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    # Outside the project, as pytest's tmp_path for the browser tests: Streamlit watches the app's
    # folder tree, and a database or log written inside it would feed its file watcher.
    work = Path(tempfile.mkdtemp(prefix=f"nss-browsers-{browsers}-"))
    data_dir = work / "data"
    t0 = time.monotonic()
    applicants = prepare(data_dir, browsers, bcrypt_rounds)
    print(f"prepared {browsers} applicants in {time.monotonic() - t0:.1f} s", flush=True)
    extra = {"NSS_BCRYPT_ROUNDS": str(bcrypt_rounds)}
    if server_debug:  # Streamlit's own debug log, with times: when each run began and ended on the server
        extra["STREAMLIT_LOGGER_LEVEL"] = "debug"
    app, smtp = start_app(work, demo=True, extra_env=extra)
    try:
        with RssSampler(app.process.pid) as rss:
            started = time.monotonic()
            results = drive(app.base_url, applicants, rounds, data_dir / "nss.db", trace)
            wall = time.monotonic() - started
            load = os.getloadavg()
        figures = summarize(results, data_dir / "nss.db", applicants)
        figures.update({"rounds": rounds, "bcrypt rounds": bcrypt_rounds, "wall s": round(wall, 1),
                        "server RSS peak MB": round(rss.peak_kb / 1024, 1),
                        "server RSS end MB": round(rss.last_kb / 1024, 1),
                        "server CPU s": round(rss.cpu_end - rss.cpu_start, 1),
                        "load average 1/5/15 at end": [round(x, 2) for x in load],
                        "load average 1 min peak": round(rss.load_peak, 2),
                        "cpus": os.cpu_count()})
    finally:
        app.process.terminate()
        try:
            app.process.wait(timeout=15)
        except Exception:
            app.process.kill()
        smtp.__exit__(None, None, None)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    log = OUT_DIR / f"browsers-{browsers}-{stamp}.log"
    shutil.copy(work / "streamlit.log", log)
    out = {"figures": figures, "pages": [asdict(r) for r in results], "server log": str(log)}
    path = OUT_DIR / f"browsers-{browsers}-{stamp}.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1))
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n### Clicks under load: {browsers} browsers, {rounds} save rounds each\n")
    for key, value in figures.items():
        print(f"- {key}: {value}")
    for r in results:
        if r.error or r.lost_login_clicks or r.lost_saves or r.deep_link_logouts or r.field_lost_value:
            print(f"  page {r.browser}: lost logins {r.lost_login_clicks}, deep-link logouts {r.deep_link_logouts}, "
                  f"lost saves {r.lost_saves}, field lost value {r.field_lost_value}, error {r.error}")
    print(f"\nsaved: {path} (server log: {log}{f', data: {data_dir}' if keep else ''})")
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--browsers", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--bcrypt-rounds", type=int, default=int(os.environ.get("NSS_BCRYPT_ROUNDS", "12")))
    parser.add_argument("--keep", action="store_true", help="keep the data folder under bench/out/")
    parser.add_argument("--trace", action="store_true", help="record each page's rerun requests in the JSON")
    parser.add_argument("--server-debug", action="store_true", help="the server logs at debug level (with times)")
    args = parser.parse_args(argv)
    return run(args.browsers, args.rounds, args.bcrypt_rounds, args.keep, args.trace, args.server_debug)


if __name__ == "__main__":
    main()
