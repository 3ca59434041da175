"""Deployment settings, read from the environment once per process.

Everything a deployment may change lives here; nothing else reads os.environ.
"""
from __future__ import annotations

import ipaddress
import os
import secrets
import tempfile
import threading
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
# zxcvbn's estimate of the guesses a key needs, as a power of ten. Random keys of 32+ characters
# (secrets.token_urlsafe, `openssl rand -hex 16` or more) score 28 and up; keys made of a pattern
# (`abcdefgh` repeated, the alphabet, keyboard rows, repeated words) score below 13.
MIN_COOKIE_KEY_GUESSES_LOG10 = 26


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
    mail_interval_seconds: float  # the periodic sender's round (services.mail.PeriodicSender)
    # Background jobs (services/jobs.py): every app server runs the due ones this often, unless
    # NSS_JOBS_BACKGROUND=0 (then `manage.py run-jobs` from cron or a systemd timer runs them).
    jobs_interval_seconds: float = 300.0
    jobs_background: bool = True
    demo_public: bool = False  # NSS_DEMO_PUBLIC=1: offer the one-click demo logins beyond this computer
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
        mail_interval_seconds=max(0.1, float(os.environ.get("NSS_MAIL_INTERVAL_SECONDS", "30"))),
        jobs_interval_seconds=max(1.0, float(os.environ.get("NSS_JOBS_INTERVAL_SECONDS", "300"))),
        jobs_background=_flag("NSS_JOBS_BACKGROUND", default=True),
        demo_public=os.environ.get("NSS_DEMO_PUBLIC", "").strip() == "1",
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


LOOPBACK = "127.0.0.1"


def is_loopback(address: str | None) -> bool:
    """Whether a server bound to `address` is reachable from this computer only (unset binds to all)."""
    a = (address or "").strip().strip("[]").lower()
    return a == "localhost" or a == "::1" or a.startswith("127.")


def demo_bind_address(s: Settings) -> str | None:
    """Where `dev.py run` makes Streamlit listen: demo mode offers one-click staff logins, so it
    stays on this computer unless NSS_DEMO_PUBLIC=1 says otherwise; None leaves Streamlit's default."""
    return LOOPBACK if s.demo and not s.demo_public else None


def demo_logins_offered(s: Settings, server_address: str | None) -> bool:
    """The login page's one-click demo logins: demo mode, and a loopback-only server or NSS_DEMO_PUBLIC=1."""
    return s.demo and (s.demo_public or is_loopback(server_address))


_ZXCVBN_LOCK = threading.Lock()


@lru_cache(maxsize=8)
def _key_guesses_log10(key: str) -> float:
    # One at a time: several sessions' first runs check the key at once, and zxcvbn's lazily built
    # tables are not made for threads (4 browsers at once once got a strong key called weak).
    with _ZXCVBN_LOCK:
        from zxcvbn import zxcvbn  # pinned in requirements.txt; loaded only when a key is checked
        return float(zxcvbn(key[:96], max_length=96)["guesses_log10"])  # a longer key: judged by its start


def check_cookie_key(key: str, origin: str = "NSS_COOKIE_KEY") -> str:
    """The key must be random: long enough, not a known example, and not a pattern (estimated by
    zxcvbn, which sees repeats, sequences, keyboard rows and dictionary words)."""
    weak = (len(key) < MIN_COOKIE_KEY_LENGTH or key.strip().lower() in WELL_KNOWN_KEYS or len(set(key)) < 8
            or _key_guesses_log10(key) < MIN_COOKIE_KEY_GUESSES_LOG10)
    if weak:
        raise ConfigError(
            f"{origin} must be at least {MIN_COOKIE_KEY_LENGTH} random characters, not a pattern or a "
            "well-known example value. Generate one with: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
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
    if path in _FILE_KEYS:
        return _FILE_KEYS[path]
    if not path.exists():
        # Written whole under another name, then linked into place: a reader (another session's
        # first run, another process) sees no file or the whole key, never an empty one.
        s.data_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=s.data_dir, prefix=".cookie_key.")
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
            os.link(tmp, path)
        except FileExistsError:  # another process of this server won the race
            pass
        finally:
            os.unlink(tmp)
    key = check_cookie_key(path.read_text().strip(), origin=f"The key in {path} (delete the file to generate a new one)")
    _FILE_KEYS[path] = key
    return key


# The data folder's key, read and checked once per process: app.py asks on every page run. A key
# file replaced while the server runs takes effect at the next start (as a changed NSS_COOKIE_KEY).
_FILE_KEYS: dict[Path, str] = {}


def check_startup() -> None:
    """Everything the app needs before it may serve a page; raises ConfigError with the reason."""
    s = settings()
    cookie_key(s)


def main() -> int:
    """`python config.py`: 0 when the deployment may start, else the reason on stderr and 2."""
    import sys
    try:
        check_startup()
    except ConfigError as exc:
        sys.stderr.write(f"Refusing to start: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
