"""Abuse limits, counted in the database (issue 8: temporary accounts, re-issue, login flood).

Counters live in `rate_counters`, so a limit holds across app servers sharing one PostgreSQL and
across new browser sessions (a new session is not a new allowance). Each limit is a sliding
window, estimated from two fixed windows: the current window's hits plus the previous window's,
weighted by how much of it still overlaps the sliding window (one row per key and window, one
atomic upsert per hit). Time comes from services.clock, so tests move it.

Keys are (purpose, key): the key is a client address, a mail address or domain, an office code,
a login ID or a staff user id. Only its SHA-256 is stored. The client address is a plain
argument here; the UI finds it (ui/client.py, with `client_address` below for a trusted proxy).

Every limit of the portal is in the table below: the one place to read or change them.
"""
from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.models import RateCounter
from services import clock
from services.errors import DomainError
from services.uow import UnitOfWork


@dataclass(frozen=True)
class Limit:
    purpose: str          # also the message: locales key "ratelimit.<purpose>"
    limit: int            # hits allowed in any sliding `window`
    window: timedelta

    @property
    def minutes(self) -> int:
        return int(self.window.total_seconds() // 60)

    @property
    def hours(self) -> int:
        return max(1, round(self.minutes / 60))


# 仮アカウントの発行 from the public page: each mail goes to an address typed by anyone.
TEMP_ACCOUNT_PER_CLIENT = Limit("temp_account_client", 5, timedelta(hours=1))
TEMP_ACCOUNT_PER_RECIPIENT = Limit("temp_account_recipient", 3, timedelta(hours=24))
TEMP_ACCOUNT_PER_DOMAIN = Limit("temp_account_domain", 30, timedelta(hours=1))
TEMP_ACCOUNT_OVERALL = Limit("temp_account_overall", 300, timedelta(hours=1))
# The desk issues on the phone for callers, logged in: per staff user, more generously, no other cap
# (a flood on the public page must not stop the desk).
TEMP_ACCOUNT_PER_STAFF = Limit("temp_account_staff", 100, timedelta(hours=1))
# パスワードの再発行: per client and per office code typed, never global (a flood must not block others).
REISSUE_PER_CLIENT = Limit("reissue_client", 10, timedelta(hours=1))
REISSUE_PER_OFFICE = Limit("reissue_office", 5, timedelta(hours=1))
# Logins: every attempt counts before any password hash is computed, a success is taken back
# (services.auth.authenticate), so these count failures and floods, never a busy office.
LOGIN_FAILURES_PER_CLIENT = Limit("login_client", 20, timedelta(minutes=10))
LOGIN_FAILURES_PER_ID = Limit("login_id", 30, timedelta(minutes=15))  # above the lockout (services.auth)

LIMITS = (TEMP_ACCOUNT_PER_CLIENT, TEMP_ACCOUNT_PER_RECIPIENT, TEMP_ACCOUNT_PER_DOMAIN, TEMP_ACCOUNT_OVERALL,
          TEMP_ACCOUNT_PER_STAFF, REISSUE_PER_CLIENT, REISSUE_PER_OFFICE, LOGIN_FAILURES_PER_CLIENT,
          LOGIN_FAILURES_PER_ID)
OVERALL_KEY = "*"
LOCAL_CLIENT = "127.0.0.1"  # Streamlit reports a loopback connection as no address at all


class RateLimited(DomainError):
    """Too many requests for one limit; the code names the limit, `minutes` its window."""

    def __init__(self, limit: Limit) -> None:
        super().__init__(f"ratelimit.{limit.purpose}", minutes=limit.minutes, hours=limit.hours)
        self.limit = limit


def _key_hash(limit: Limit, key: str) -> str:
    raw = f"{limit.purpose}\0{key.strip().lower()}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest()


def _windows(limit: Limit, now: datetime) -> tuple[int, int, float]:
    """(current window start, previous window start, share of the previous window still counted)."""
    seconds = int(limit.window.total_seconds())
    at = now.timestamp()
    start = int(at // seconds) * seconds
    return start, start - seconds, 1.0 - (at - start) / seconds


def _count(s: Session, limit: Limit, key_hash: str, window_start: int) -> int:
    return s.scalar(select(RateCounter.count).where(
        RateCounter.purpose == limit.purpose, RateCounter.key_hash == key_hash,
        RateCounter.window_start == window_start)) or 0


def _increment(s: Session, limit: Limit, key_hash: str, window_start: int, now: datetime) -> int:
    dialect = s.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        raise RuntimeError(f"rate limits support SQLite and PostgreSQL, not {dialect}")
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    seconds = int(limit.window.total_seconds())
    values = insert(RateCounter).values(purpose=limit.purpose, key_hash=key_hash, window_start=window_start,
                                        count=1, expires_at=window_start + 2 * seconds)
    upsert = values.on_conflict_do_update(index_elements=["purpose", "key_hash", "window_start"],
                                          set_={"count": RateCounter.count + 1}).returning(RateCounter.count)
    count = int(s.execute(upsert).scalar_one())
    if count == 1:  # a new window of this key: forget this purpose's windows nobody reads any more
        s.execute(delete(RateCounter).where(RateCounter.expires_at < int(now.timestamp()),
                                            RateCounter.purpose == limit.purpose))
    return count


def used(s: Session, limit: Limit, key: str) -> float:
    """Hits of `key` in the sliding window ending now."""
    now = clock.now()
    current, previous, share = _windows(limit, now)
    key_hash = _key_hash(limit, key)
    return _count(s, limit, key_hash, previous) * share + _count(s, limit, key_hash, current)


def is_exhausted(s: Session, limit: Limit, key: str) -> bool:
    """True when one more hit would go over the limit (nothing is counted)."""
    return used(s, limit, key) + 1 > limit.limit


def record(s: Session, limit: Limit, key: str) -> float:
    """Count one hit of `key`; returns the hits in the sliding window, this one included."""
    now = clock.now()
    current, previous, share = _windows(limit, now)
    key_hash = _key_hash(limit, key)
    count = _increment(s, limit, key_hash, current, now)
    return _count(s, limit, key_hash, previous) * share + count


def admit(checks: Sequence[tuple[Limit, str]], *, uow: UnitOfWork | None = None) -> None:
    """Count one hit on each (limit, key) in order; RateLimited for the first one over its limit.

    The checks after a refused one are not counted, so a flood from one client spends only its
    own allowance, not the shared ones listed after it. Committed on its own: a request counts even
    when the work it asked for fails afterwards.
    """
    refused: Limit | None = None
    with (uow or UnitOfWork()) as u:
        for limit, key in checks:
            if record(u.session, limit, key) > limit.limit:
                refused = limit
                break
        u.commit()
    if refused is not None:
        raise RateLimited(refused)


def login_checks(login_key: str, client: str | None) -> list[tuple[Limit, str]]:
    """What one login attempt counts against, before its password is checked (services.auth)."""
    return [(LOGIN_FAILURES_PER_CLIENT, client or LOCAL_CLIENT), (LOGIN_FAILURES_PER_ID, login_key)]


def forgive(s: Session, checks: Sequence[tuple[Limit, str]]) -> None:
    """Take back one hit of each (limit, key) in the current window: a login that succeeded is
    not a failure, so a busy office behind one address never reaches the login limit."""
    now = clock.now()
    for limit, key in checks:
        current, _, _ = _windows(limit, now)
        s.execute(update(RateCounter)
                  .where(RateCounter.purpose == limit.purpose, RateCounter.key_hash == _key_hash(limit, key),
                         RateCounter.window_start == current, RateCounter.count > 0)
                  .values(count=RateCounter.count - 1).execution_options(synchronize_session=False))


# ---------------------------------------------------------------- the client address

def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None,
                trusted: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    return address is not None and any(address.version == net.version and address in net for net in trusted)


def client_address(peer: str | None, headers: Mapping[str, str], *, header: str | None,
                   trusted: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> str:
    """The address a request came from, as one canonical string.

    `peer` is the connection's address (None for loopback). The proxy header is read only when
    configured and only when the connection comes from a trusted proxy; in a list such as
    X-Forwarded-For the client is the right-most entry that is not itself a trusted proxy (entries
    further left were written by the client and prove nothing).
    """
    own = _parse(peer or LOCAL_CLIENT)
    fallback = own.compressed if own is not None else (peer or LOCAL_CLIENT)[:64]
    if not header or not _is_trusted(own, trusted):
        return fallback
    value = next((v for k, v in headers.items() if k.lower() == header.lower()), None)
    hops = [hop.strip() for hop in (value or "").split(",") if hop.strip()]
    nearest = fallback
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            return hop[:64]  # not an address: a key of its own, never someone else's
        nearest = address.compressed
        if not _is_trusted(address, trusted):
            return nearest
    return nearest  # every hop is a trusted proxy: the furthest one
