"""`dev.py test` runs pytest on two workers, the browser tests spread over both."""
from __future__ import annotations

import importlib

import pytest

dev = importlib.import_module("dev")


def test_two_workers_by_default(monkeypatch):
    monkeypatch.delenv("NSS_TEST_WORKERS", raising=False)
    monkeypatch.setattr(dev.os, "cpu_count", lambda: 8)
    assert dev.parallel_args(["-q"]) == ["-n", "2", "--dist", "worksteal"]


def test_one_cpu_runs_in_process(monkeypatch):
    monkeypatch.delenv("NSS_TEST_WORKERS", raising=False)
    monkeypatch.setattr(dev.os, "cpu_count", lambda: 1)
    assert dev.parallel_args([]) == []


@pytest.mark.parametrize("extra", [["-n", "4"], ["-n4"], ["--numprocesses=3"], ["-p", "no:xdist"]])
def test_the_callers_choice_wins(monkeypatch, extra):
    monkeypatch.delenv("NSS_TEST_WORKERS", raising=False)
    assert dev.parallel_args(extra) == []


def test_setting_chooses_the_count(monkeypatch):
    monkeypatch.setenv("NSS_TEST_WORKERS", "1")
    assert dev.parallel_args([]) == []
    monkeypatch.setenv("NSS_TEST_WORKERS", "3")
    assert dev.parallel_args([]) == ["-n", "3", "--dist", "worksteal"]

