"""Browser tests: a real `streamlit run` on a free port with a fresh data folder (the embedded
SQLite default), a real SMTP server catching its mail, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.smtp_server import Inbox, SmtpServer, free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ON_CI = os.environ.get("CI", "").lower() == "true"
# How long a test waits for what a user waits for: a run to finish, an element to appear, a mail,
# the server to answer. Generous on purpose: it only runs out when the thing never comes (a lost
# click, a missing message), and then the test fails just as it would with a short wait. A short
# one fails on a busy machine instead: with both cores busy and other work on top (load average
# 30-45 on 2 cores), a fresh server's first login page took 38 s to draw. The playwright defaults
# (5 s for expect, 30 s for actions) are raised to it for every page the tests open.
PATIENCE_MS = 180_000
PATIENCE_S = PATIENCE_MS / 1000
expect.set_options(timeout=PATIENCE_MS)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not Path(CHROMIUM).exists():
        if ON_CI:
            pytest.fail("Chromium is missing: .ci/run must apt-get install chromium")
        pytest.skip("Debian chromium not installed on this machine")
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}, "locale": "ja-JP"}


@dataclass
class RunningApp:
    base_url: str
    data_dir: Path
    inbox: Inbox
    process: subprocess.Popen
    startup_seconds: float


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = PATIENCE_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("streamlit did not become healthy")


# Prepared data folders by set-up settings: `manage.py prepare` (migrations + demo data, 5-15 s)
# runs once per settings per test process, and each server gets a copy of its result. The copy is
# what a fresh data folder holds after the set-up; only the server's own port and mail server differ.
_TEMPLATES: dict[tuple, Path] = {}
_PER_SERVER = ("NSS_DATA_DIR", "NSS_BASE_URL", "SMTP_HOST", "SMTP_PORT")


def _run_prepare(env: dict, log) -> int:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), "prepare"], cwd=ROOT, env=env, stdout=log,
                          stderr=subprocess.STDOUT, check=False).returncode


def _prepare(env: dict, data_dir: Path, log) -> None:
    """Fills `data_dir` as `manage.py prepare` would. A set-up that fails (e.g. a weak cookie key)
    is run for this server alone and not kept: the server is started anyway, as a test of that
    refusal expects, and does the set-up or refuses on its first page run. A folder the test has
    filled already (its own applicants) gets the set-up run over it, as a real start would."""
    if data_dir.exists():
        _run_prepare(env, log)
        return
    key = tuple(sorted((k, v) for k, v in env.items() if k.startswith(("NSS_", "SMTP_")) and k not in _PER_SERVER))
    template = _TEMPLATES.get(key)
    if template is None:
        template = Path(tempfile.mkdtemp(prefix="nss-prepared-")) / "data"
        if _run_prepare(env | {"NSS_DATA_DIR": str(template)}, log) != 0:
            shutil.rmtree(template.parent, ignore_errors=True)
            return
        _TEMPLATES[key] = template
        atexit.register(shutil.rmtree, template.parent, True)
    shutil.copytree(template, data_dir)


def start_app(tmp_path: Path, *, demo: bool = True, extra_env: dict | None = None) -> tuple[RunningApp, SmtpServer]:
    smtp = SmtpServer().__enter__()
    port = free_port()
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "NSS_COOKIE_KEY", "TEST_DATABASE_URL", "NSS_DATA_DIR")}
    env.update({
        "NSS_DATA_DIR": str(data_dir), "NSS_DEMO": "1" if demo else "0",
        "NSS_BASE_URL": f"http://127.0.0.1:{port}", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port),
        "NSS_BCRYPT_ROUNDS": "4", **(extra_env or {}),
    })
    log = open(tmp_path / "streamlit.log", "w")  # noqa: SIM115 - handed to the server process, closed by the fixture
    started = time.monotonic()
    # As `dev.py run` does: the set-up first, so the first page run (and each test's wait) is short.
    _prepare(env, data_dir, log)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    _wait_healthy(base_url, process)
    return RunningApp(base_url, data_dir, smtp.inbox, process, time.monotonic() - started), smtp


def stop_app(app: RunningApp, smtp: SmtpServer, tmp_path: Path) -> None:
    """Ends the server and its SMTP server; its log is kept in test-artifacts/."""
    app.process.terminate()
    try:
        app.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        app.process.kill()
    smtp.__exit__(None, None, None)
    log = tmp_path / "streamlit.log"
    if log.exists():
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(log, ARTIFACTS / f"streamlit-{tmp_path.name}.log")


@pytest.fixture
def running_app(tmp_path):
    app, smtp = start_app(tmp_path)
    yield app
    stop_app(app, smtp, tmp_path)


@pytest.fixture
def fresh_server(tmp_path):
    """A server of the test's own whose first browser session is the test's: started for this test
    alone and visited by nobody before (its health check opens no session). For tests of what a new
    server does on its very first session, which must hold however `running_app` is shared."""
    app, smtp = start_app(tmp_path)
    yield app
    stop_app(app, smtp, tmp_path)


def shot(page, name: str) -> None:
    """Screenshots are kept for review in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# When is the run that a user's action started over? Two witnesses, because either alone can miss:
# - the server's own `script_finished` messages on the page's websocket, counted in Python (exact,
#   but seen at the network layer, a moment before the page has drawn the run);
# - Streamlit's root element, marked with the script's state (`running`, `notRunning`, ...),
#   counted in the page by a MutationObserver (drawn, but React may draw a short run's start and
#   end in one go, and then nothing changes to observe).
# The run is over when a finished run was counted after the action and the page shows the script
# not running, with no widget still loading its code (a skeleton).
_RUN_COUNTER = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return null;
  if (!window.__nssRuns) {
    const runs = window.__nssRuns = {started: 0, finished: 0};
    new MutationObserver(records => {
      const values = records.map(r => r.oldValue).concat([app.dataset.testScriptState]);
      for (let i = 1; i < values.length; i++) {
        if (values[i] === values[i - 1]) continue;
        if (values[i] === 'running' || values[i] === 'rerunRequested') runs.started++;
        if (values[i] === 'notRunning') runs.finished++;
      }
    }).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
  }
  const busy = !!document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]');
  return {...window.__nssRuns, idle: app.dataset.testScriptState === 'notRunning' && !busy};
}"""


def count_messages(page, *kinds: str) -> dict[str, int]:
    """Count the server's ForwardMsg messages of these kinds (`script_finished`, `page_not_found`, ...)
    on every websocket the page opens from now on; the dict counts up as they arrive."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    counter = dict.fromkeys(kinds, 0)

    def on_frame(payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            msg = ForwardMsg()
            try:
                msg.ParseFromString(bytes(payload))
            except Exception:  # not a ForwardMsg: nothing to count
                return
            kind = msg.WhichOneof("type")
            if kind in counter:
                counter[kind] += 1

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return counter


def _watch_runs(page) -> None:
    """Count the server's `script_finished` messages on every websocket the page opens."""
    counter = count_messages(page, "script_finished")
    page._nss_finished = counter


@pytest.fixture(scope="session", autouse=True)
def _pages_count_their_runs():
    """Every page a test opens (fixture, new context, new tab) counts its runs from its first byte."""
    from playwright.sync_api import Browser, BrowserContext

    patch = pytest.MonkeyPatch()
    for cls in (Browser, BrowserContext):
        original = cls.new_page

        def new_page(self, *args, _original=original, **kwargs):
            page = _original(self, *args, **kwargs)
            page.set_default_timeout(PATIENCE_MS)
            page.set_default_navigation_timeout(PATIENCE_MS)
            _watch_runs(page)
            return page
        patch.setattr(cls, "new_page", new_page)
    yield
    patch.undo()


def runs(page) -> dict:
    """What the page has seen so far: finished runs by both witnesses, and whether it is idle now."""
    page.wait_for_selector('[data-testid="stApp"]')
    seen = page.evaluate(_RUN_COUNTER) or {"finished": 0, "idle": False}
    return {**seen, "server_finished": getattr(page, "_nss_finished", {"script_finished": 0})["script_finished"]}


def wait_idle(page, timeout: float = PATIENCE_MS, *, after: dict | None = None) -> None:
    """Wait until the script is idle. With `after` (what `runs()` said before an action that reruns
    the script), wait until a run that began after that action has finished and is drawn."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        now = runs(page)
        if now["idle"] and (after is None or now["finished"] > after["finished"]
                            or now["server_finished"] > after["server_finished"]):
            if after is None or now["finished"] > after["finished"]:
                return
            # Counted on the wire only: let the page draw what came in, then check it is still idle.
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            if runs(page)["idle"]:
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"the script did not finish a run within {timeout / 1000:.0f} s: {now}, before {after}")
        page.wait_for_timeout(50)  # polling the two counters, not a guess at how long a run takes


def act(page, action, *, reruns: bool = True, timeout: float = PATIENCE_MS) -> None:
    """Do what a user does (click, pick, press Enter) once the screen is idle, then wait for the
    run it triggers to finish, as a person waits for the screen to change."""
    wait_idle(page, timeout)
    before = runs(page)
    action()
    wait_idle(page, timeout, after=before if reruns else None)


def wait_for_cookie(page, name: str = "nss_auth", present: bool = True, timeout: float = PATIENCE_S) -> list[dict]:
    """The cookie is written by a component iframe after the run: poll the browser for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in page.context.cookies() if c["name"] == name]
        if bool(found) == present:
            return found
        page.wait_for_timeout(200)
    raise AssertionError(f"cookie {name} {'never appeared' if present else 'never went away'}")


def open_app(page, url: str, ready_text: str | None = None) -> None:
    """Load a page and wait until its first run has finished and the text the user looks for shows."""
    page.goto(url)
    if ready_text:
        page.get_by_text(ready_text).first.wait_for()
    wait_idle(page)


def login(page, base_url: str, login_id: str, password: str, *, path: str = "") -> None:
    """Log in through the form; `path` (e.g. "/review-detail?app=3") is the URL opened first."""
    open_app(page, base_url + path, "仮ログイン ID、事業所コード、または職員 ID でログインしてください。")
    # While a rerun replaces the page, the form of the run before can still be in the DOM for a
    # moment: wait until the user sees one form.
    expect(page.get_by_label("パスワード", exact=True)).to_have_count(1)
    page.get_by_label("ログイン ID").fill(login_id)
    page.get_by_label("パスワード", exact=True).fill(password)
    act(page, lambda: page.get_by_role("button", name="ログイン", exact=True).click())
    page.get_by_text("でログイン中").first.wait_for()
    wait_idle(page)
    wait_for_cookie(page)


FIRST_PASSWORD_NOTICE = "発行されたパスワードでログインしました"


def change_first_password(page, current: str, new: str) -> None:
    """The forced change after logging in with a 仮パスワード or an issued password (SPEC §6): only
    the パスワード変更 page is offered until it is done; then the full menu."""
    expect(page.get_by_text(FIRST_PASSWORD_NOTICE)).to_be_visible()
    wait_idle(page)
    form = page.get_by_test_id("stForm")
    form.get_by_label("現在のパスワード", exact=True).fill(current)
    form.get_by_label("新しいパスワード", exact=True).fill(new)
    form.get_by_label("新しいパスワード（確認）", exact=True).fill(new)
    act(page, lambda: form.get_by_role("button", name="変更する", exact=True).click())
    expect(page.get_by_text(FIRST_PASSWORD_NOTICE)).to_have_count(0)
    wait_idle(page)
