"""Issue 8 items 10 and 13: the cookie key must be random, a misconfigured deployment refuses to
start, and demo mode listens on 127.0.0.1 only unless NSS_DEMO_PUBLIC=1."""
from __future__ import annotations

import importlib
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

import config
from config import ConfigError, check_cookie_key, load_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("key", [
    "abcdefgh" * 4,                        # 8 distinct characters repeated: passed the old check
    "abcdefghijklmnopqrstuvwxyz123456",    # a sequence
    "qwertyuiopasdfghjklzxcvbnm123456",    # keyboard rows
    "changeme" * 4, "password" * 5, "a" * 40, "short-key", "some_key",
])
def test_patterned_short_or_known_keys_are_refused(key):
    with pytest.raises(ConfigError, match="random"):
        check_cookie_key(key)


@pytest.mark.parametrize("make", [lambda: secrets.token_urlsafe(24), lambda: secrets.token_urlsafe(48),
                                  lambda: secrets.token_hex(16), lambda: secrets.token_hex(32)])
def test_random_keys_pass(make):
    for _ in range(20):
        key = make()
        assert check_cookie_key(key) == key


def test_a_weak_key_left_in_the_data_folder_is_refused_with_where_it_is(monkeypatch, tmp_path):
    monkeypatch.delenv("NSS_COOKIE_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NSS_DATA_DIR", str(tmp_path))
    (tmp_path / "cookie_key").write_text("abcdefgh" * 4)
    with pytest.raises(ConfigError, match="delete the file"):
        config.cookie_key(load_settings())


def _config_main(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "config.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_config_check_exits_non_zero_with_the_reason(tmp_path):
    """What `dev.py run` runs before starting streamlit."""
    env = {"PATH": "/usr/bin:/bin", "NSS_DATA_DIR": str(tmp_path), "NSS_COOKIE_KEY": "abcdefgh" * 4}
    refused = _config_main(env)
    assert refused.returncode == 2 and "Refusing to start: NSS_COOKIE_KEY" in refused.stderr
    assert _config_main({**env, "NSS_COOKIE_KEY": secrets.token_urlsafe(48)}).returncode == 0


def test_dev_run_does_not_start_streamlit_when_the_check_fails(monkeypatch):
    dev = importlib.import_module("dev")
    started: list[list[str]] = []
    monkeypatch.setattr(dev, "_ensure", lambda requirements: None)
    monkeypatch.setattr(dev.subprocess, "call", lambda cmd, **kw: started.append(cmd) or (
        2 if cmd[-1].endswith("config.py") else 0))
    monkeypatch.setattr(sys, "argv", ["dev.py", "run"])
    assert dev.main() == 2
    assert started == [[str(dev.PYTHON), str(ROOT / "config.py")]]  # streamlit never ran


def _command(monkeypatch, **env) -> list[str]:
    dev = importlib.import_module("dev")
    for name in ("DATABASE_URL", "NSS_DEMO", "NSS_DEMO_PUBLIC", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return dev.streamlit_command(["--server.headless", "true"])


def test_demo_mode_listens_on_loopback_only(monkeypatch):
    command = _command(monkeypatch)  # the embedded default: demo on
    assert command[2:] == ["streamlit", "run", "app.py", "--server.port", "8501",
                           "--server.address", "127.0.0.1", "--server.headless", "true"]


def test_demo_public_or_demo_off_keeps_streamlits_address(monkeypatch):
    for env in ({"NSS_DEMO_PUBLIC": "1"}, {"NSS_DEMO": "0"},
                {"DATABASE_URL": "postgresql+psycopg://db/nss"}):
        assert "--server.address" not in _command(monkeypatch, **env), env
    assert "--server.address" in _command(monkeypatch, NSS_DEMO_PUBLIC="yes")  # only "1" lifts it


@pytest.mark.parametrize(("address", "demo_public", "offered"), [
    ("127.0.0.1", False, True), ("localhost", False, True), ("::1", False, True),
    (None, False, False), ("", False, False), ("0.0.0.0", False, False), ("192.168.1.5", False, False),
    ("0.0.0.0", True, True), (None, True, True),
])
def test_one_click_demo_logins_only_on_loopback_or_when_made_public(monkeypatch, address, demo_public, offered):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NSS_DEMO", "1")
    monkeypatch.setenv("NSS_DEMO_PUBLIC", "1" if demo_public else "0")
    assert config.demo_logins_offered(load_settings(), address) is offered
    monkeypatch.setenv("NSS_DEMO", "0")
    assert config.demo_logins_offered(load_settings(), address) is False
