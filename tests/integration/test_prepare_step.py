"""Cold start (issue 9 item 3): `dev.py run` prepares the database (manage.py prepare) before the
server starts; the server's start-up then only checks, in one query, that it was done. Started as
`streamlit run app.py` on an empty data folder, app.py still prepares it itself."""
from __future__ import annotations

import pytest
import streamlit as st
from sqlalchemy import event, func, select, text

import config
from db.engine import dispose_all, get_engine
from db.models import Application, User
from services import bootstrap as bootstrap_module
from services import jobs, mail
from services.demo import seeding
from services.uow import UnitOfWork


@pytest.fixture
def fresh_folder(monkeypatch, tmp_path):
    """The embedded default on an empty data folder, demo mode on (what `dev.py run` starts)."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NSS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NSS_DEMO", "1")
    config.settings.cache_clear()
    yield tmp_path / "data"
    mail.stop_periodic_sender()
    config.settings.cache_clear()
    dispose_all()


def _statements_during(call) -> list[str]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen


def _no_setup_work(monkeypatch) -> None:
    def refuse(*_a, **_k):
        raise AssertionError("set-up work in the server's start-up after the prepare step")
    monkeypatch.setattr(bootstrap_module, "upgrade", refuse)
    monkeypatch.setattr(bootstrap_module, "ensure_terms", refuse)
    monkeypatch.setattr(seeding, "seed_if_empty", refuse)


def test_after_prepare_the_server_start_up_is_one_query_and_no_set_up(fresh_folder, monkeypatch):
    from manage import main
    main(["prepare"])
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(Application)) == 315
    _no_setup_work(monkeypatch)
    results: list[bool] = []
    statements = _statements_during(lambda: results.append(bootstrap_module.bootstrap()))
    assert results == [True]  # the fast path
    assert len(statements) == 1, statements


def test_the_set_up_runs_without_the_cyclic_collector_and_turns_it_back_on(fresh_folder, monkeypatch):
    """No collector pass during the set-up (they found nothing worth 0.4-0.6 s); it is on again
    afterwards, also when the set-up fails; only `serve` freezes what the set-up left."""
    import gc

    import manage
    passes: list[int] = []
    frozen: list[bool] = []
    during: list[list[int]] = []
    real_prepare = bootstrap_module.prepare

    def count(phase, info):
        if phase == "start":
            passes.append(info["generation"])

    def prepare_and_look() -> None:
        real_prepare()
        during.append(list(passes))
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(bootstrap_module, "prepare", prepare_and_look)
    gc.callbacks.append(count)
    try:
        manage.prepare()
        assert during == [[]] and gc.isenabled() and frozen == []
        monkeypatch.setattr(bootstrap_module, "prepare", lambda: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            manage.prepare(freeze=True)
    finally:
        gc.callbacks.remove(count)
    assert gc.isenabled() and frozen == [True]


def test_prepare_starts_no_mail_sender_and_the_server_start_up_does(fresh_folder, monkeypatch, smtp):
    mail.stop_periodic_sender()
    bootstrap_module.prepare()
    assert mail._periodic.running is None  # the prepare process exits: a sender there would die with it
    assert bootstrap_module.bootstrap() is True
    assert mail._periodic.running is not None and mail._periodic.running.is_alive()


def test_prepare_starts_no_job_thread_and_the_server_start_up_does(fresh_folder, monkeypatch):
    monkeypatch.setenv("NSS_JOBS_BACKGROUND", "1")
    monkeypatch.setenv("NSS_JOBS_INTERVAL_SECONDS", "3600")
    config.settings.cache_clear()
    jobs.stop_periodic_jobs()
    try:
        bootstrap_module.prepare()
        assert jobs._periodic.running is None  # the prepare process exits: a thread there would die with it
        assert bootstrap_module.bootstrap() is True
        assert jobs._periodic.running is not None and jobs._periodic.running.is_alive()
        assert jobs._periodic.running.interval == 3600
    finally:
        jobs.stop_periodic_jobs()


def test_schema_behind_or_demo_missing_is_not_prepared(fresh_folder):
    assert bootstrap_module.is_prepared() is False  # no tables at all
    bootstrap_module.prepare()
    assert bootstrap_module.is_prepared() is True
    with get_engine().begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0010_rate_limits'"))
    assert bootstrap_module.is_prepared() is False  # code newer than the schema: migrate first
    [head] = bootstrap_module.schema_heads()
    with get_engine().begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    assert bootstrap_module.is_prepared() is True
    with get_engine().begin() as conn:
        conn.execute(text("UPDATE users SET login_key = 'renamed' WHERE login_key = 'demo-desk'"))
    assert bootstrap_module.is_prepared() is False  # demo mode without the demo world
    config.settings.cache_clear()


def test_demo_off_needs_no_demo_data_to_be_prepared(fresh_folder, monkeypatch):
    monkeypatch.setenv("NSS_DEMO", "0")
    config.settings.cache_clear()
    bootstrap_module.prepare()
    assert bootstrap_module.is_prepared() is True
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(User)) == 0


def test_streamlit_run_on_an_unprepared_folder_still_prepares_and_shows_the_login(fresh_folder):
    from streamlit.testing.v1 import AppTest

    from tests.ui.harness import ROOT, texts
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()  # seeds: slow on a busy machine
    assert not at.exception, at.exception
    assert any(t.label == "パスワード" for t in at.text_input), texts(at)
    assert bootstrap_module.is_prepared() is True
    with UnitOfWork() as u:
        assert u.session.scalar(select(User.id).where(User.login_key == "demo-reviewer")) is not None
    st.cache_resource.clear()


def test_dev_run_starts_manage_serve_with_streamlits_options(monkeypatch):
    import dev
    calls: list[list[str]] = []
    monkeypatch.setattr(dev, "_ensure", lambda _req: None)
    monkeypatch.setattr(dev, "_refuses_to_start", lambda: False)
    monkeypatch.setattr(dev.subprocess, "call", lambda cmd: calls.append(cmd) or 0)
    monkeypatch.setattr(dev.sys, "argv", ["dev.py", "run", "--server.headless", "true"])
    monkeypatch.delenv("PORT", raising=False)
    assert dev.main() == 0
    [command] = calls
    assert command[1:3] == ["manage.py", "serve"]
    assert command[3:] == dev.streamlit_command(["--server.headless", "true"])[5:]  # port, address, extra


def test_serve_starts_the_server_only_after_the_prepare_step(monkeypatch):
    from streamlit.web import cli

    import manage
    log: list[str] = []
    monkeypatch.setattr(manage, "prepare", lambda **_k: log.append("prepared"))
    monkeypatch.setattr(cli, "main", lambda **_k: log.append("server: " + " ".join(manage.sys.argv[1:2] +
                                                                               manage.sys.argv[3:])))
    monkeypatch.setattr(manage.sys, "argv", list(manage.sys.argv))
    manage.main(["serve", "--server.port", "8599"])
    assert log == ["prepared", "server: run --server.port 8599"]
    assert manage.sys.argv[2].endswith("app.py")

    log.clear()

    def fails(**_k) -> None:
        raise RuntimeError("database unreachable")
    monkeypatch.setattr(manage, "prepare", fails)
    with pytest.raises(RuntimeError):
        manage.main(["serve"])
    assert log == []  # no server


def test_prepare_makes_every_hash_ahead_on_another_thread(fresh_folder, monkeypatch):
    """The demo passwords and the office passwords the seeding's two real approvals issue are hashed
    once each, all in the thread started before the migrations (bcrypt runs on the other core), none
    by the seeding itself; the issued office passwords are the ones that log in."""
    import threading

    import bcrypt

    from db.models import Applicant, Notice
    from services import auth
    from services.demo import accounts
    from services.demo.applicants import APPROVED_ID
    from services.demo.cutoff import CANCELLED_ID
    from services.notices import NoticeKind
    from services.secrets import decrypt
    calls: list[tuple[bytes, str]] = []
    real = bcrypt.hashpw
    monkeypatch.setattr(bcrypt, "hashpw",
                        lambda pw, salt: calls.append((pw, threading.current_thread().name)) or real(pw, salt))
    accounts._hash.cache_clear()
    bootstrap_module.prepare()
    assert len(calls) == 2 + accounts.ISSUED_OFFICE_PASSWORDS and len({pw for pw, _ in calls}) == len(calls)
    assert all(thread.startswith("nss-demo-hashes") for _, thread in calls), calls
    with UnitOfWork() as u:
        s = u.session
        issued = {code: decrypt(s.scalar(select(Notice.secret).where(Notice.applicant_id == applicant_id,
                                                                      Notice.kind == NoticeKind.ID_NOTICE)))
                  for applicant_id, code in s.execute(select(Applicant.id, Applicant.office_code).where(
                      Applicant.temp_login_id.in_((APPROVED_ID, CANCELLED_ID))))}
        approved = s.scalar(select(Applicant.office_code).where(Applicant.temp_login_id == APPROVED_ID))
    assert len(issued) == 2 and set(issued.values()) <= {pw.decode() for pw, _ in calls}
    assert auth.authenticate(approved, issued[approved]).ok  # the cancelled one's login is refused


def test_demo_seed_writes_in_bulk_not_row_by_row(db, monkeypatch):
    """The review queue's 300 applications went in with two or three flushes and ~13 single-row INSERTs
    each (~5,200 INSERT statements for the demo world); its screens, history and system-settings
    registrations are now executemany rows on the tables and the rest five flushes (1,766 INSERTs and
    2,429 statements before that last step, 1,189 and 1,712 after). The same demo world: the counts."""
    monkeypatch.setenv("NSS_DEMO", "1")
    config.settings.cache_clear()
    statements = _statements_during(seeding.seed_if_empty)
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) < 1_250, len(inserts)  # + the demo offices made by the real use cases
    # the review queue's 304 applicants in one batched INSERT (Applicant.temp_login_id is the ORM's
    # insert sentinel), not one each; the rest are the use cases' single temporary accounts
    assert len([s for s in inserts if "INTO applicants" in s]) < 30
    assert len(statements) < 1_800, len(statements)
    with UnitOfWork() as u:
        s = u.session
        # 309 + 6: a demo office's システム設定申込 waiting, the 変更申込 and 解約申込 demo offices'
        assert s.scalar(select(func.count()).select_from(Application)) == 315
        assert s.scalar(text("SELECT count(*) FROM application_sections")) == 2_530
        assert s.scalar(text("SELECT count(*) FROM audit_events")) == 1_279
        assert s.scalar(text("SELECT count(*) FROM user_codes")) == 93
        assert s.scalar(text("SELECT count(*) FROM system_settings_registrations")) == 134
        assert s.scalar(text("SELECT count(*) FROM user_codes WHERE settings_completed_at IS NOT NULL")) == \
            s.scalar(text("SELECT count(DISTINCT user_code_id) FROM system_settings_registrations"
                          " WHERE item = '名称'")) - 1  # the 「some ○」 office's second code has its 名称 only
