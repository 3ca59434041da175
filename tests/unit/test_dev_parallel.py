"""`dev.py test` runs pytest on two workers with the browser tests kept on one of them."""
from __future__ import annotations

import importlib

import pytest

dev = importlib.import_module("dev")


def test_two_workers_grouped_by_default(monkeypatch):
    monkeypatch.delenv("NSS_TEST_WORKERS", raising=False)
    monkeypatch.setattr(dev.os, "cpu_count", lambda: 8)
    assert dev.parallel_args(["-q"]) == ["-n", "2", "--dist", "loadgroup"]


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
    assert dev.parallel_args([]) == ["-n", "3", "--dist", "loadgroup"]


def test_browser_tests_share_one_worker():
    """The e2e conftest puts every browser test in the xdist group "browser"."""
    from tests.e2e import conftest as e2e

    class Item:
        fspath = "/repo/tests/e2e/test_x.py"

        def __init__(self):
            self.markers = []

        def add_marker(self, marker):
            self.markers.append(marker)

    item = Item()
    e2e.pytest_collection_modifyitems([item])
    groups = [m.args for m in item.markers if getattr(m, "name", "") == "xdist_group"]
    assert groups == [("browser",)]
