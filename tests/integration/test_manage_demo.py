import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

import config
from db.models import User
from services import auth
from services.demo import seeding as demo
from services.demo.cutoff import CANCELLED_ID
from services.errors import PermissionDenied
from services.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]


def test_create_admin_takes_password_from_environment(db, monkeypatch):
    monkeypatch.setenv("NSS_ADMIN_PASSWORD", "First-Admin-Pass-1")
    from manage import main
    main(["create-admin", "--login-id", "admin01", "--name", "管理 太郎"])
    result = auth.authenticate("admin01", "First-Admin-Pass-1")
    assert result.ok and result.actor.roles == {"admin"} and result.actor.must_change_password


def test_create_admin_refuses_weak_password_and_has_no_default(db, monkeypatch):
    monkeypatch.setenv("NSS_ADMIN_PASSWORD", "short")
    from manage import main
    with pytest.raises(SystemExit):
        main(["create-admin", "--login-id", "admin01", "--name", "x"])
    monkeypatch.delenv("NSS_ADMIN_PASSWORD")
    proc = subprocess.run([sys.executable, "manage.py", "create-admin", "--login-id", "a2", "--name", "x"],
                          cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          env={**__import__("os").environ})
    assert proc.returncode != 0 and "NSS_ADMIN_PASSWORD" in proc.stderr


def test_demo_off_means_no_demo_users_and_no_demo_login(db, monkeypatch):
    monkeypatch.setenv("NSS_DEMO", "0")
    config.settings.cache_clear()
    from services.bootstrap import bootstrap
    bootstrap()
    with UnitOfWork() as u:
        s = u.session
        assert s.scalar(select(func.count()).select_from(User)) == 0
    with pytest.raises(PermissionDenied):
        demo.demo_login("demo-reviewer")


def test_demo_on_seeds_each_role_once(db, monkeypatch):
    monkeypatch.setenv("NSS_DEMO", "1")
    config.settings.cache_clear()
    assert demo.seed_if_empty() is True
    assert demo.seed_if_empty() is False
    for _label_key, login_id in demo.DEMO_BUTTONS:
        if login_id == CANCELLED_ID:  # its approval was cancelled by the cut-off: the button says so
            with pytest.raises(PermissionDenied) as refused:
                demo.demo_login(login_id)
            assert refused.value.code == "login.error.approval_cancelled"
            assert auth.authenticate(login_id, demo.DEMO_PASSWORD).code == auth.APPROVAL_CANCELLED
            continue
        actor = demo.demo_login(login_id)
        assert actor.login_id == login_id
    with UnitOfWork() as u:
        s = u.session
        roles = {r for u in s.scalars(select(User)) for r in u.role_names}
    assert {"desk", "reviewer", "admin"} <= roles


def test_short_or_well_known_cookie_key_refuses_to_start(monkeypatch, tmp_path):
    from config import ConfigError, cookie_key, load_settings
    monkeypatch.setenv("NSS_DATA_DIR", str(tmp_path))
    for bad in ("some_key", "x" * 40, "short-key"):
        monkeypatch.setenv("NSS_COOKIE_KEY", bad)
        with pytest.raises(ConfigError):
            cookie_key(load_settings())
    monkeypatch.delenv("NSS_COOKIE_KEY")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    generated = cookie_key(load_settings())
    assert len(generated) >= 32 and (tmp_path / "cookie_key").read_text().strip() == generated
    assert cookie_key(load_settings()) == generated  # generated once, then reused
