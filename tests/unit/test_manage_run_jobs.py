"""`manage.py run-jobs` argument handling (no database: the runner is replaced)."""
from __future__ import annotations

import pytest

import manage
from services import jobs


@pytest.fixture
def ran(monkeypatch):
    calls: list[list[str]] = []

    def fake(selected=jobs.JOBS):
        calls.append([job.name for job in selected])
        return [jobs.JobRun(job.name, outcome, result) for job, (outcome, result) in zip(selected, OUTCOMES, strict=False)]
    monkeypatch.setattr(jobs, "run_due_jobs", fake)
    return calls


OUTCOMES = [(jobs.Outcome.RAN, {"cancelled": 1})]


def test_run_jobs_runs_every_job_prints_each_outcome_and_exits_zero(ran, capsys):
    with pytest.raises(SystemExit) as done:
        manage.main(["run-jobs"])
    assert done.value.code == 0 and ran == [[job.name for job in jobs.JOBS]]
    assert capsys.readouterr().out.splitlines()[0] == 'system_settings_cutoff: RAN {"cancelled": 1}'


def test_run_jobs_can_run_one_named_job_and_refuses_an_unknown_one(ran, capsys):
    with pytest.raises(SystemExit) as done:
        manage.main(["run-jobs", "--job", "system_settings_cutoff"])
    assert done.value.code == 0 and ran == [["system_settings_cutoff"]]
    with pytest.raises(SystemExit) as refused:
        manage.main(["run-jobs", "--job", "nope"])
    assert "Unknown job(s): nope" in str(refused.value.code) and len(ran) == 1


def test_a_failed_job_makes_the_exit_status_one(monkeypatch, capsys):
    monkeypatch.setattr(jobs, "run_due_jobs", lambda selected=jobs.JOBS: [
        jobs.JobRun("system_settings_cutoff", jobs.Outcome.FAILED, error="OperationalError: down")])
    with pytest.raises(SystemExit) as done:
        manage.main(["run-jobs"])
    assert done.value.code == 1 and "FAILED OperationalError: down" in capsys.readouterr().out
