"""Background jobs: a registry of what runs on its own (the system-settings cut-off first), a lock so
that several app servers never run one job at once, and the runners (`manage.py run-jobs`, and a
daemon thread in every app server).

The lock is a row per job in `job_locks`, claimed by one UPDATE with a lease:

    UPDATE job_locks SET holder = :me, locked_until = now + LEASE
     WHERE name = :job AND (locked_until IS NULL OR locked_until < now) AND <the job is due>

Exactly one server's UPDATE matches. On PostgreSQL the second UPDATE waits for the first one's row
lock and then re-checks the WHERE on the new row (leased: no match); SQLite has one writer at a time.
A server that dies mid-job loses the lock when the lease runs out. The same statement works on both
databases, which is why it is a row and not `pg_try_advisory_lock` (PostgreSQL only).

Every job must be idempotent by itself as well (the cut-off only touches offices still due): the
lock saves the work, not the correctness.
"""
from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from config import settings
from db.models import JobLock
from services import clock, cutoff
from services.cancellation import effect as cancellation
from services.periodic import OnePerProcess, Periodic
from services.uow import UnitOfWork, rows_matched

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)  # longer than any job runs; a dead server's lock is free after this


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], dict[str, Any]]   # does the work in its own transactions; returns a summary
    every: timedelta = timedelta(0)     # at least this long between two successful runs


def _cutoff() -> dict[str, Any]:
    return cutoff.run_cutoff().summary()


def _cancellations() -> dict[str, Any]:
    return cancellation.run_due().summary()


# The registry: every job the runners run. Each runs on every round; when nothing is due it is one
# indexed query. contract_cancellation: approved 解約申込 whose 解約日 has come (services.cancellation.effect).
JOBS: tuple[Job, ...] = (
    Job("system_settings_cutoff", _cutoff),
    Job("contract_cancellation", _cancellations),
)


class Outcome(StrEnum):
    RAN = "RAN"            # this runner ran it
    BUSY = "BUSY"          # another runner holds the lock
    NOT_DUE = "NOT_DUE"    # it ran less than `every` ago
    FAILED = "FAILED"      # it raised; the error is in job_locks.last_error and the log


@dataclass(frozen=True)
class JobRun:
    name: str
    outcome: Outcome
    result: dict[str, Any] | None = None
    error: str | None = None


def _ensure_row(name: str) -> None:
    """The job's lock row, inserted once; a second runner inserting at the same moment is a no-op."""
    with UnitOfWork() as u:
        s = u.session
        dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
        s.execute(dialect.insert(JobLock).values(name=name).on_conflict_do_nothing(index_elements=["name"]))
        u.commit()


def _claim(job: Job) -> tuple[str | None, Outcome]:
    _ensure_row(job.name)
    token, now = uuid.uuid4().hex, clock.now()
    free = or_(JobLock.locked_until.is_(None), JobLock.locked_until < now)
    due = or_(JobLock.last_finished_at.is_(None), JobLock.last_finished_at <= now - job.every)
    with UnitOfWork() as u:
        s = u.session
        won = rows_matched(s, update(JobLock).where(JobLock.name == job.name, free, due)
                           .values(holder=token, locked_until=now + LEASE, last_started_at=now)
                           .execution_options(synchronize_session=False))
        if won == 1:
            u.commit()
            return token, Outcome.RAN
        u.commit()  # nothing changed: ends the transaction before the next read
        held_until = s.scalar(select(JobLock.locked_until).where(JobLock.name == job.name))
        return None, Outcome.BUSY if held_until is not None and held_until >= now else Outcome.NOT_DUE


def _release(name: str, token: str, **values: Any) -> None:
    """Free the lock, recording the outcome, only while this runner still holds it."""
    with UnitOfWork() as u:
        u.session.execute(update(JobLock).where(JobLock.name == name, JobLock.holder == token)
                          .values(holder=None, locked_until=None, **values)
                          .execution_options(synchronize_session=False))
        u.commit()


def run_job(job: Job) -> JobRun:
    token, outcome = _claim(job)
    if token is None:
        return JobRun(job.name, outcome)
    try:
        result = job.run()
    except Exception as exc:
        log.exception("job %s failed", job.name)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        _release(job.name, token, last_error=error)
        return JobRun(job.name, Outcome.FAILED, error=error)
    _release(job.name, token, last_finished_at=clock.now(), last_error=None,
             last_result=json.dumps(result, ensure_ascii=False, default=str))
    return JobRun(job.name, Outcome.RAN, result=result)


def run_due_jobs(jobs: Sequence[Job] = JOBS) -> list[JobRun]:
    """Every due job once (`manage.py run-jobs`, and each round of the background thread)."""
    return [run_job(job) for job in jobs]


class PeriodicJobs(Periodic):
    """Runs the due jobs every `interval` seconds, the first round at once. Every app server runs one
    (`start_periodic_jobs`); the lock lets one server at a time run a job."""

    def __init__(self, interval: float, jobs: Sequence[Job] = JOBS, name: str = "nss-jobs") -> None:
        super().__init__(interval, self._round, name)
        self.jobs = tuple(jobs)
        self.last: list[JobRun] = []

    def _round(self) -> None:
        self.last = run_due_jobs(self.jobs)


# NSS_JOBS_BACKGROUND=0 starts none: cron or a systemd timer runs `manage.py run-jobs` instead.
_periodic = OnePerProcess(lambda: PeriodicJobs(settings().jobs_interval_seconds),
                          enabled=lambda: settings().jobs_background)
start_periodic_jobs = _periodic.start
stop_periodic_jobs = _periodic.stop
