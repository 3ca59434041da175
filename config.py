"""Deployment settings, read from the environment once per process.

Everything a deployment may change lives here; nothing else reads os.environ.
"""
from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent

# Keys that appear in tutorials and examples; a deployment using one is as good as keyless.
WELL_KNOWN_KEYS = {
    "some_key", "some_signature_key", "random_signature_key", "abcdef", "secret", "changeme",
    "change-me", "password", "cookie_key", "nss", "test", "default",
}
MIN_COOKIE_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The deployment is misconfigured; the app must not start."""


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() not in {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    embedded: bool            # True when running on the local SQLite default
    demo: bool
    base_url: str
    cookie_name: str
    cookie_hours: float
    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_starttls: bool
    mail_from: str
    upload_limit_mb: int
    temp_account_hours: int
    # A reverse proxy's client-address header (e.g. X-Forwarded-For), read only on connections from
    # `trusted_proxies`; unset, the header is ignored and the connection's own address counts.
    trusted_proxy_header: str | None = None
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @property
    def upload_limit_bytes(self) -> int:
        return self.upload_limit_mb * 1024 * 1024


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("NSS_DATA_DIR") or PROJECT_DIR / "data").resolve()
    url = os.environ.get("DATABASE_URL", "").strip()
    embedded = not url
    if embedded:
        url = f"sqlite:///{data_dir / 'nss.db'}"
    return Settings(
        data_dir=data_dir,
        database_url=url,
        embedded=embedded,
        demo=_flag("NSS_DEMO", default=embedded),
        base_url=os.environ.get("NSS_BASE_URL", "http://localhost:8501").rstrip("/"),
        cookie_name=os.environ.get("NSS_COOKIE_NAME", "nss_auth"),
        cookie_hours=float(os.environ.get("NSS_COOKIE_HOURS", "8")),
        smtp_host=os.environ.get("SMTP_HOST") or None,
        smtp_port=int(os.environ.get("SMTP_PORT", "25")),
        smtp_user=os.environ.get("SMTP_USER") or None,
        smtp_password=os.environ.get("SMTP_PASSWORD") or None,
        smtp_starttls=_flag("SMTP_STARTTLS", default=False),
        mail_from=os.environ.get("NSS_MAIL_FROM", "nss-noreply@example.jp"),
        upload_limit_mb=int(os.environ.get("NSS_UPLOAD_LIMIT_MB", "10")),
        temp_account_hours=int(os.environ.get("NSS_TEMP_ACCOUNT_HOURS", "48")),
        trusted_proxy_header=os.environ.get("NSS_TRUSTED_PROXY_HEADER", "").strip() or None,
        trusted_proxies=_networks(os.environ.get("NSS_TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES)),
    )


DEFAULT_TRUSTED_PROXIES = "127.0.0.1/32, ::1/128"  # a reverse proxy on the same host


def _networks(spec: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(f"NSS_TRUSTED_PROXIES: {exc}") from exc


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


def check_cookie_key(key: str) -> str:
    if len(key) < MIN_COOKIE_KEY_LENGTH or key.strip().lower() in WELL_KNOWN_KEYS or len(set(key)) < 8:
        raise ConfigError(
            f"NSS_COOKIE_KEY must be at least {MIN_COOKIE_KEY_LENGTH} random characters "
            "and not a well-known example value."
        )
    return key


def cookie_key(s: Settings | None = None) -> str:
    """The signing key for the login cookie.

    From NSS_COOKIE_KEY; on the embedded default it is generated once into the data folder.
    A shared database means several servers, which must share one key, so there it is required.
    """
    s = s or settings()
    env_key = os.environ.get("NSS_COOKIE_KEY")
    if env_key:
        return check_cookie_key(env_key)
    if not s.embedded:
        raise ConfigError("NSS_COOKIE_KEY is required when DATABASE_URL is set.")
    path = s.data_dir / "cookie_key"
    if not path.exists():
        s.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of this server won the race
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
    return check_cookie_key(path.read_text().strip())
