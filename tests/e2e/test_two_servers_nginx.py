"""Two `streamlit run app.py` servers on one PostgreSQL behind Debian's nginx, configured by
deploy/nginx/nss-portal.conf exactly as docs/deployment.md deploys it (issue 9 item 4).

The journey: the applicant logs in through nginx and lands on server A (sticky cookie); the
reviewer's browser is routed to server B. The applicant saves a wizard screen on A, then A is
killed (SIGKILL, mid-journey). The reload lands on B and is still logged in (the re-login cookie,
signed with the key both servers share), the saved value is there; the applicant saves again and
submits on B. A comes back (both periodic mail senders polling every second) and the reviewer
approves on B. Every mail of the outbox goes out exactly once; nothing saved is lost. nginx's
access log says which server answered each request.

Runs with TEST_DATABASE_URL (a database of its own, dropped afterwards); a missing nginx fails.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from email.utils import getaddresses
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

import config
from db.engine import dispose_all
from db.models import Application, MailOutbox
from services.application.connection import ConnectionType
from services.authz import REVIEWER
from services.mail import MailStatus
from services.uow import UnitOfWork
from services.workflow import ApplicationStatus
from tests.conftest import _create_pg_database, _drop_pg_database
from tests.e2e.conftest import ARTIFACTS, ROOT, _wait_healthy, login, open_app, shot
from tests.e2e.journey_helpers import click, fill, heading, settle, side
from tests.factories import PASSWORD, fill_all, make_applicant, make_staff, section_row, started
from tests.nginx_proxy import NGINX_MISSING, NginxProxy, nginx_binary
from tests.smtp_server import Inbox, SmtpServer, free_port

pytestmark = pytest.mark.postgres

CLERK, MANAGER = "two.servers@example.jp", "two.servers.boss@example.jp"
DEPARTMENT = "申込事務担当者 部署名"


@dataclass
class AppServer:
    name: str
    port: int
    env: dict
    log: Path
    process: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        out = self.log.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        out.close()

    def wait_healthy(self) -> None:
        assert self.process is not None
        _wait_healthy(f"http://{self.address}", self.process, timeout=120)

    def kill(self) -> None:
        """A crash: no clean shutdown, no goodbye to the open websockets."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Cluster:
    proxy: NginxProxy
    servers: list[AppServer]
    inbox: Inbox
    database_url: str

    def server_at(self, address: str) -> AppServer:
        return next(s for s in self.servers if s.address == address)


@pytest.fixture
def cluster(tmp_path, monkeypatch):
    admin_url, url = _create_pg_database()  # skips without TEST_DATABASE_URL (fails on CI)
    if nginx_binary() is None:
        _drop_pg_database(admin_url, url)
        pytest.fail(NGINX_MISSING)
    ports = [free_port(), free_port()]
    smtp = SmtpServer().__enter__()
    proxy = NginxProxy(ports, keep_in=ARTIFACTS / f"two-servers-{tmp_path.name}")
    base = {k: v for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "TEST_DATABASE_URL", "NSS_DATA_DIR", "NSS_DEMO")}
    base.update({
        "DATABASE_URL": url, "NSS_DEMO": "0",
        "NSS_COOKIE_KEY": os.environ["NSS_COOKIE_KEY"],  # one key on every server (and in this process)
        "NSS_BASE_URL": proxy.url, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port),
        "NSS_MAIL_INTERVAL_SECONDS": "1",  # both periodic senders poll all the time: a duplicate would show
        "NSS_TRUSTED_PROXY_HEADER": "X-Forwarded-For", "NSS_BCRYPT_ROUNDS": "4",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    })
    servers = [AppServer(name, port, {**base, "NSS_DATA_DIR": str(tmp_path / f"data-{name}")},
                         tmp_path / f"streamlit-{name}.log") for name, port in zip("ab", ports, strict=True)]
    try:
        # The deployment's order: prepare the database once, then start the servers.
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "prepare"], cwd=ROOT, env=servers[0].env,
                       check=True, capture_output=True)
        for s in servers:
            s.start()
        for s in servers:
            s.wait_healthy()
        proxy.__enter__()
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("NSS_DEMO", "0")
        monkeypatch.setenv("NSS_DATA_DIR", str(tmp_path / "data-test"))
        config.settings.cache_clear()
        dispose_all()
        yield Cluster(proxy, servers, smtp.inbox, url)
    finally:
        proxy.__exit__(None, None, None)
        for s in servers:
            s.stop()
        smtp.__exit__(None, None, None)
        ARTIFACTS.mkdir(exist_ok=True)
        for s in servers:
            if s.log.exists():
                shutil.copy(s.log, ARTIFACTS / f"two-servers-{tmp_path.name}" / s.log.name)
        config.settings.cache_clear()
        _drop_pg_database(admin_url, url)


def _route_to(proxy: NginxProxy, address: str) -> str:
    """A value of the sticky cookie that nginx sends to the app server at `address` (tried on the
    health URL, read back from nginx's access log)."""
    for i in range(64):
        route = f"probe-{i}"
        request = urllib.request.Request(proxy.url + "/_stcore/health", headers={"Cookie": f"nss_route={route}"})
        with urllib.request.urlopen(request, timeout=10) as resp:
            assert resp.status == 200
        deadline = time.monotonic() + 5
        while not (served := proxy.served_by(route)) and time.monotonic() < deadline:
            time.sleep(0.05)  # nginx writes the line right after the answer
        if served and served[-1] == address:
            return route
    raise AssertionError(f"no route to {address} in 64 tries: is nginx hashing on the cookie?")


def _route_of(page) -> str:
    found = [c["value"] for c in page.context.cookies() if c["name"] == "nss_route"]
    assert found, "nginx set no nss_route cookie"
    return found[0]


def _documents(proxy: NginxProxy, route: str) -> list[str]:
    """Which server answered each load of the wizard's page by this browser (its other requests,
    such as the health polls of a page that lost its server, do not count)."""
    return [r["upstream"].split(",")[-1].strip() for r in proxy.requests()
            if r["route"] == route and r["method"] == "GET" and r["path"] == "/application"]


def _save_department(page, value: str) -> None:
    side(page, "1. 申込担当者")
    expect(heading(page, "申込担当者")).to_be_visible()
    fill(page, {DEPARTMENT: value})
    click(page, "保存")
    expect(page.get_by_text("保存しました").first).to_be_visible()
    settle(page)


def _outbox() -> list[MailOutbox]:
    with UnitOfWork() as u:
        rows = list(u.session.scalars(select(MailOutbox).order_by(MailOutbox.id)))
        u.session.expunge_all()
        return rows


def _wait_all_sent(timeout: float = 60) -> list[MailOutbox]:
    deadline = time.monotonic() + timeout
    while True:
        rows = _outbox()
        if rows and all(r.status == MailStatus.SENT for r in rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"mail not all sent: {[(r.template, r.status, r.last_error) for r in rows]}")
        time.sleep(0.2)


def test_journey_across_two_servers_behind_nginx_with_one_killed(cluster, browser, browser_context_args):
    proxy, base = cluster.proxy, cluster.proxy.url
    reviewer_actor = make_staff("nginx-reviewer", REVIEWER)
    applicant = make_applicant(None, CLERK, company="二台構成物流株式会社")
    app_id = started(applicant)
    fill_all(applicant, app_id, ConnectionType.NET, clerk_email=CLERK, manager_email=MANAGER)

    # The applicant logs in through nginx; the sticky cookie names the server that answered.
    page = browser.new_context(**browser_context_args).new_page()
    login(page, base, applicant.login_id, PASSWORD)
    route = _route_of(page)
    first = cluster.server_at(proxy.served_by(route)[0])
    open_app(page, base + "/application", "詳細入力画面")
    assert set(proxy.served_by(route)) == {first.address}  # sticky: every request of this browser
    other = next(s for s in cluster.servers if s is not first)

    # The reviewer's browser is routed to the other server (a cookie nginx would have given it).
    reviewer_browser = browser.new_context(**browser_context_args)
    reviewer_browser.add_cookies([{"name": "nss_route", "value": _route_to(proxy, other.address), "url": base}])
    reviewer = reviewer_browser.new_page()
    login(reviewer, base, reviewer_actor.login_id, PASSWORD)
    assert set(proxy.served_by(_route_of(reviewer), "/")) == {other.address}

    # A save on the first server, then that server dies.
    _save_department(page, "二台構成部 1")
    assert section_row(app_id, "applicant_contact")["data"]["application_clerk_department"] == "二台構成部 1"
    shot(page, "two-servers-01-saved-on-first")
    first.kill()

    # The reload lands on the other server and is still logged in; the saved value is there.
    documents = len(_documents(proxy, route))
    open_app(page, base + "/application", "詳細入力画面")
    expect(page.get_by_text("でログイン中").first).to_be_visible()
    assert _documents(proxy, route)[documents:] == [other.address]  # the reload, answered by the survivor
    side(page, "1. 申込担当者")
    expect(page.get_by_label(DEPARTMENT, exact=True)).to_have_value("二台構成部 1")
    shot(page, "two-servers-02-reloaded-on-other")

    # The first server comes back: from now on both periodic mail senders poll every second.
    first.start()
    first.wait_healthy()

    # Saved again and submitted on the other server.
    _save_department(page, "二台構成部 2")
    side(page, "10. 入力確認画面")
    expect(heading(page, "入力確認画面")).to_be_visible()
    expect(page.get_by_text("二台構成部 2").first).to_be_visible()
    click(page, "申込む")
    expect(page.get_by_text("受付番号：NSS-").first).to_be_visible()

    # The reviewer, on the other server all along, approves.
    open_app(reviewer, base + f"/review-detail?app={app_id}", "申込詳細")
    expect(reviewer.get_by_text("二台構成部 2").first).to_be_attached()
    click(reviewer, "承認する")
    expect(reviewer.get_by_text("承認しました。事業所コード").first).to_be_visible()
    shot(reviewer, "two-servers-03-approved")

    # Nothing saved was lost; every mail went out exactly once, each to each of its recipients.
    with UnitOfWork() as u:
        assert u.session.get(Application, app_id).status == ApplicationStatus.APPROVED
    assert section_row(app_id, "applicant_contact")["data"]["application_clerk_department"] == "二台構成部 2"
    rows = _wait_all_sent()
    assert {r.template for r in rows} >= {"receipt", "approval"}
    assert all(r.attempts == 1 and r.claim_token is None for r in rows), [(r.template, r.attempts) for r in rows]
    expected = sorted((address, r.subject) for r in rows for address in r.recipients)
    delivered = sorted((address, m["Subject"]) for m in cluster.inbox.messages
                       for _, address in getaddresses([m["To"]]))
    assert delivered == expected

    # Both servers served this journey's page runs (the websockets, logged when they closed).
    page.context.close()
    reviewer.context.close()
    deadline = time.monotonic() + 15
    while {r["upstream"].split(",")[-1].strip() for r in proxy.requests()
           if r["path"] == "/_stcore/stream"} != {first.address, other.address}:
        assert time.monotonic() < deadline, proxy.requests()[-10:]
        time.sleep(0.1)
