"""Background jobs (services/jobs.py), SQLite and PostgreSQL: the job_locks lease lets one runner at a
time run a job; two server processes (separate engines) racing run it once; a failed job frees its
lock and runs again; the periodic thread runs the due jobs on its own."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, JobLock, MailOutbox, Notice
from services import clock, jobs
from services.audit import AuditAction
from services.calendar import add_business_days
from services.uow import UnitOfWork
from tests.factories import at_jst, make_application

ROOT = Path(__file__).resolve().parents[2]


def _lock(name: str) -> JobLock:
    with UnitOfWork() as u:
        row = u.session.get(JobLock, name)
        u.session.expunge(row)
        return row


def _noop(calls: list[int]) -> jobs.Job:
    return jobs.Job("probe", lambda: calls.append(1) or {"calls": len(calls)})


def test_a_job_another_runner_holds_is_busy_until_its_lease_runs_out(db):
    calls: list[int] = []
    job = _noop(calls)
    token, outcome = jobs._claim(job)  # another server took it and is still running it
    assert token and outcome == jobs.Outcome.RAN
    assert jobs.run_job(job).outcome == jobs.Outcome.BUSY and calls == []
    with clock.shifted(jobs.LEASE + timedelta(seconds=1)):  # that server died: its lease runs out
        run = jobs.run_job(job)
    assert run.outcome == jobs.Outcome.RAN and calls == [1]
    lock = _lock("probe")
    assert lock.holder is None and lock.locked_until is None and json.loads(lock.last_result) == {"calls": 1}


def test_a_job_with_an_interval_is_not_due_again_before_it(db):
    calls: list[int] = []
    job = jobs.Job("hourly", lambda: calls.append(1) or {}, every=timedelta(hours=1))
    assert jobs.run_job(job).outcome == jobs.Outcome.RAN
    assert jobs.run_job(job).outcome == jobs.Outcome.NOT_DUE
    with clock.shifted(timedelta(hours=1, seconds=1)):
        assert jobs.run_job(job).outcome == jobs.Outcome.RAN
    assert calls == [1, 1]


def test_a_failed_job_frees_its_lock_records_the_error_and_runs_again(db):
    def broken() -> dict:
        raise RuntimeError("database went away")
    run = jobs.run_job(jobs.Job("flaky", broken))
    assert run.outcome == jobs.Outcome.FAILED and "database went away" in run.error
    lock = _lock("flaky")
    assert lock.locked_until is None and lock.last_finished_at is None and "database went away" in lock.last_error
    assert jobs.run_job(jobs.Job("flaky", lambda: {"ok": True})).outcome == jobs.Outcome.RAN
    assert _lock("flaky").last_error is None


# ------------------------------------------------------------------ two server processes racing

PROBE = """
import json, os, sys, time
from pathlib import Path
from services import jobs
from services.uow import UnitOfWork
from db.models import AuditEvent
from services import clock

go = Path(sys.argv[1])
while not go.exists():          # both processes are up: start together
    time.sleep(0.005)

def work():
    # Holds the lock long enough that the other process's claim surely comes while it runs.
    with UnitOfWork() as u:
        u.session.add(AuditEvent(at=clock.now(), action="probe.ran", actor_login_id=sys.argv[2]))
        u.commit()
    time.sleep(1.5)
    return {"by": sys.argv[2]}

[run] = jobs.run_due_jobs([jobs.Job("race_probe", work)])
print(json.dumps({"outcome": run.outcome}))
"""


def _env(db_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": db_url, "NSS_DEMO": "0", "NSS_JOBS_BACKGROUND": "0",
            "PYTHONPATH": str(ROOT)}


def _start_together(commands: list[list[str]], db_url: str, go: Path) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=_env(db_url), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for cmd in commands]
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


def test_two_server_processes_racing_for_a_job_run_it_once(db, tmp_path):
    go = tmp_path / "go"
    done = _start_together([[sys.executable, "-c", PROBE, str(go), name] for name in ("server-a", "server-b")],
                           db, go)
    assert all(r.returncode == 0 for r in done), [r.stderr for r in done]
    outcomes = sorted(json.loads(r.stdout.strip().splitlines()[-1])["outcome"] for r in done)
    assert outcomes == [jobs.Outcome.BUSY, jobs.Outcome.RAN]
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(AuditEvent)
                                .where(AuditEvent.action == "probe.ran")) == 1


def _manage_run_jobs(go: Path) -> list[str]:
    """`manage.py run-jobs` started the moment `go` exists (both processes imported and waiting)."""
    waiter = (f"import pathlib, runpy, sys, time\n"
              f"while not pathlib.Path({str(go)!r}).exists(): time.sleep(0.005)\n"
              f"sys.argv = ['manage.py', 'run-jobs']\n"
              f"runpy.run_path({str(ROOT / 'manage.py')!r}, run_name='__main__')\n")
    return [sys.executable, "-c", waiter]


def test_two_servers_running_the_cut_off_at_once_cancel_the_office_once(db, tmp_path):
    start = add_business_days(clock.today_jst(), -1)  # yesterday's business day: cut since days ago
    with at_jst(start - timedelta(days=14)):
        make_application(status="APPROVED", start_date=start)
    go = tmp_path / "go"
    done = _start_together([_manage_run_jobs(go), _manage_run_jobs(go)], db, go)
    assert all(r.returncode == 0 for r in done), [r.stderr for r in done]
    lines = sorted(line for r in done for line in r.stdout.strip().splitlines())  # one line per job
    assert any('"cancelled": 1' in line for line in lines), lines
    with UnitOfWork() as u:
        s = u.session
        assert s.scalar(select(func.count()).select_from(MailOutbox)
                        .where(MailOutbox.template == "approval_cancelled")) == 1
        assert s.scalar(select(func.count()).select_from(Notice).where(Notice.kind == "CANCELLED")) == 1
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == AuditAction.CUTOFF_APPROVAL_CANCELLED)) == 1


# ------------------------------------------------------------------ the periodic thread

def test_the_periodic_thread_runs_the_due_jobs_on_its_own(db):
    calls: list[int] = []
    runner = jobs.PeriodicJobs(0.05, [_noop(calls)], name="test-jobs").start()
    try:
        deadline = time.monotonic() + 20
        while runner.rounds < 2:
            assert time.monotonic() < deadline, "the thread ran no rounds"
            time.sleep(0.02)
    finally:
        runner.stop()
    assert len(calls) >= 2 and not runner.is_alive()


def test_no_background_thread_when_turned_off(db, monkeypatch):
    import config
    monkeypatch.setenv("NSS_JOBS_BACKGROUND", "0")
    config.settings.cache_clear()
    try:
        assert jobs.start_periodic_jobs() is None
    finally:
        jobs.stop_periodic_jobs()


@pytest.fixture(autouse=True)
def _no_thread_left():
    yield
    jobs.stop_periodic_jobs()
