"""Login, lockout, session validity, logout and password change. Credentials live in our database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session

from db.models import Applicant, Application, LoginAttempt, User, UserRole
from services import audit, clock, ratelimit
from services.applicant_status import ApplicantStatus
from services.audit import AuditAction
from services.authz import APPLICANT, Actor, UserKind
from services.cancellation import due
from services.errors import FieldError, ValidationFailed
from services.fields import login_id_text
from services.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    dummy_hash,
    hash_password,
    policy_errors,
    require_acceptable,
    too_long,
    verify_password,
)
from services.uow import UnitOfWork, get_or_raise, rows_matched

LOCK_THRESHOLD = 5
LOCK_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)

INVALID = "auth.invalid"            # unknown ID, wrong password and locked ID all get this one
TEMP_EXPIRED = "auth.temp_expired"  # told only after the right password (SPEC §2.1)
THROTTLED = "auth.throttled"        # too many failures from this client or for this ID: no hash computed
APPROVAL_CANCELLED = "auth.approval_cancelled"  # told only after the right password (services.cutoff)
CONTRACT_ENDED = "auth.contract_ended"          # the same, for an office whose 解約申込 took effect


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    code: str | None = None
    actor: Actor | None = None


def login_key(login_id: str) -> str:
    return login_id_text(login_id).strip().lower()  # NUL/control characters: "" matches nobody


def to_actor(user: User) -> Actor:
    return Actor(user_id=user.id, login_id=user.login_id, display_name=user.display_name,
                 kind=UserKind(user.kind), roles=frozenset(user.role_names), applicant_id=user.applicant_id,
                 must_change_password=user.must_change_password)


def _find_user(session: Session, login_id: str) -> User | None:
    return session.scalar(select(User).where(User.login_key == login_key(login_id)))


def is_locked(session: Session, key: str) -> bool:
    now = clock.now()
    last_success = session.scalar(
        select(LoginAttempt.at).where(LoginAttempt.login_key == key, LoginAttempt.success.is_(True))
        .order_by(LoginAttempt.at.desc()).limit(1))
    query = (select(LoginAttempt.at)
             .where(LoginAttempt.login_key == key, LoginAttempt.success.is_(False),
                    LoginAttempt.at > now - LOCK_WINDOW - LOCK_DURATION)
             .order_by(LoginAttempt.at.desc()).limit(LOCK_THRESHOLD))
    if last_success is not None:
        query = query.where(LoginAttempt.at > last_success)
    failures = list(session.scalars(query))
    if len(failures) < LOCK_THRESHOLD:
        return False
    newest, oldest = failures[0], failures[-1]
    return newest - oldest <= LOCK_WINDOW and now < newest + LOCK_DURATION


def locked_keys(session: Session, keys: list[str] | None = None) -> set[str]:
    """The login keys locked now (of `keys`, or of everyone): a cheap SQL pass for keys with enough
    recent failures, then `is_locked` for each of those few (the one rule of a lock)."""
    now = clock.now()
    query = (select(LoginAttempt.login_key)
             .where(LoginAttempt.success.is_(False), LoginAttempt.at > now - LOCK_WINDOW - LOCK_DURATION)
             .group_by(LoginAttempt.login_key).having(func.count() >= LOCK_THRESHOLD))
    if keys is not None:
        query = query.where(LoginAttempt.login_key.in_(keys))
    return {key for key in session.scalars(query) if is_locked(session, key)}


def last_logins(session: Session, keys: list[str]) -> dict[str, datetime]:
    """The time of each key's last successful login (keys never logged in are absent)."""
    rows = session.execute(select(LoginAttempt.login_key, func.max(LoginAttempt.at))
                           .where(LoginAttempt.login_key.in_(keys), LoginAttempt.success.is_(True))
                           .group_by(LoginAttempt.login_key))
    return {key: at for key, at in rows}


def unlock(session: Session, key: str) -> None:
    """Ends a lock: the failures that make it are deleted (the unlock itself is audited by the
    caller), and the per-ID rate limit's count of them is taken back."""
    now = clock.now()
    session.execute(delete(LoginAttempt).where(LoginAttempt.login_key == key, LoginAttempt.success.is_(False),
                                               LoginAttempt.at > now - LOCK_WINDOW - LOCK_DURATION))
    for _ in range(LOCK_THRESHOLD):
        ratelimit.forgive(session, [(limit, k) for limit, k in ratelimit.login_checks(key, None) if k == key])


def temp_account_expired(session: Session, user: User) -> bool:
    """A 仮ログイン ID works for 48 hours after issue, and for good once the application is started."""
    if user.kind != UserKind.TEMP or user.applicant_id is None:
        return False
    applicant = get_or_raise(session, Applicant, user.applicant_id)
    started = session.scalar(select(exists().where(Application.applicant_id == user.applicant_id)))
    return not started and clock.now() >= applicant.temp_expires_at


def retire_temp_logins(session: Session, user: User) -> None:
    """After approval the 仮ログイン ID still opens 新着情報, where the ID notice shows the 事業所コード
    and 事業所パスワード; once the office has logged in with them, the 仮ログイン ID stops working."""
    if user.kind != UserKind.OFFICE or user.applicant_id is None:
        return
    now = clock.now()
    session.execute(update(User).where(User.applicant_id == user.applicant_id, User.kind == UserKind.TEMP,
                                       User.is_active.is_(True))
                    .values(is_active=False, sessions_valid_after=now))


def deactivate_logins(session: Session, applicant_id: int) -> list[str]:
    """Every login of an applicant stops (the cut-off cancelled its approval): deactivated, and
    every session and re-login cookie issued before now refused (`session_actor`). Returns their IDs."""
    now = clock.now()
    users = list(session.scalars(select(User).where(User.applicant_id == applicant_id, User.is_active.is_(True))
                                 .order_by(User.id)))
    for user in users:
        user.is_active, user.sessions_valid_after = False, now
    return [user.login_id for user in users]


def stop_office(session: Session, applicant_id: int, status: ApplicantStatus) -> list[str] | None:
    """Every login of an office stops: its status moves from OFFICE to `status` (CANCELLED for the
    system-settings cut-off, CONTRACT_ENDED for a 解約申込) with `cancelled_at` = now, by a conditional
    UPDATE, and its logins are deactivated (`deactivate_logins`; the login form then tells the
    reason, `_stop_reason`). Returns the login IDs stopped, or None when the office was no longer in
    status OFFICE (another run stopped it first): callers do nothing more then."""
    won = rows_matched(session, update(Applicant)
                       .where(Applicant.id == applicant_id, Applicant.status == ApplicantStatus.OFFICE)
                       .values(status=status, cancelled_at=clock.now())
                       .execution_options(synchronize_session=False))
    if won != 1:
        return None
    return deactivate_logins(session, applicant_id)


def _contract_ended_today(session: Session, user: User) -> bool:
    """The office's whole-contract 解約日 has come (00:00 JST), whether or not its job has run yet."""
    return user.applicant_id is not None and bool(session.scalar(select(due.contract_ended(user.applicant_id))))


def _stop_reason(session: Session, user: User | None) -> str | None:
    """Why an applicant login no longer logs in: its office was stopped, or its 解約日 has come
    (the job that deactivates it may not have run yet). None: it was not."""
    if user is not None and user.is_active and _contract_ended_today(session, user):
        return CONTRACT_ENDED
    if user is None or user.is_active or user.applicant_id is None:
        return None
    # cancelled_at is set with the stopped status (stop_office).
    found = session.execute(select(Applicant.cancelled_at, Applicant.status)
                            .where(Applicant.id == user.applicant_id)).first()
    if found is None or found.cancelled_at is None:
        return None
    return CONTRACT_ENDED if found.status == ApplicantStatus.CONTRACT_ENDED else APPROVAL_CANCELLED


def authenticate(login_id: str, password: str, *, client: str | None = None,
                 uow: UnitOfWork | None = None) -> LoginResult:
    """Three short transactions around bcrypt, none across it: bcrypt takes ~0.25 s by design, and
    a connection held through it was one fewer for everyone else (16 logins at once emptied the
    pool, and every page run waited for a connection)."""
    if too_long(password):  # never a valid password: the same answer for every ID, no lookup
        return LoginResult(False, INVALID)
    key = login_key(login_id)
    try:  # counted in its own short transaction before bcrypt: a flood costs one upsert per attempt
        ratelimit.admit(ratelimit.login_checks(key, client), uow=uow)
    except ratelimit.RateLimited:
        return LoginResult(False, THROTTLED)
    stored = _stored_hash(key, login_id, uow)
    if stored is None:
        verify_password(password, dummy_hash())
        return LoginResult(False, INVALID)
    user_id, password_hash, stopped = stored
    ok = verify_password(password, password_hash)  # no connection held here
    if stopped:  # like an expired 仮ログイン ID: the reason is told only to someone who knows the password
        with (uow or UnitOfWork()) as u:
            u.session.add(LoginAttempt(login_key=key, at=clock.now(), success=False))
            u.commit()
        return LoginResult(False, stopped if ok else INVALID)
    with (uow or UnitOfWork()) as u:
        s = u.session
        user = s.get(User, user_id)
        if user is None or not user.is_active or user.password_hash != password_hash:
            return LoginResult(False, INVALID)  # changed while bcrypt ran: as if it had been first
        if ok and _contract_ended_today(s, user):  # 00:00 of the 解約日 passed while bcrypt ran
            return LoginResult(False, CONTRACT_ENDED)
        s.add(LoginAttempt(login_key=key, at=clock.now(), success=ok))
        if ok:
            ratelimit.forgive(s, ratelimit.login_checks(key, client))
        if ok and temp_account_expired(s, user):
            u.commit()
            return LoginResult(False, TEMP_EXPIRED)
        if ok:
            audit.record(s, to_actor(user), AuditAction.AUTH_LOGIN, target_type="user", target_id=user.id)
            retire_temp_logins(s, user)
        u.commit()
        return LoginResult(True, None, to_actor(user)) if ok else LoginResult(False, INVALID)


def _stored_hash(key: str, login_id: str, uow: UnitOfWork | None) -> tuple[int, str, str | None] | None:
    """(user id, password hash, why its office was stopped) of an unlocked user that is active or
    whose office was stopped (cut-off, 解約), read in a transaction of its own."""
    with (uow or UnitOfWork()) as u:
        s = u.session
        user = _find_user(s, login_id)
        if is_locked(s, key) or user is None:
            return None
        stopped = _stop_reason(s, user)
        if not user.is_active and not stopped:
            return None
        return user.id, user.password_hash, stopped


def session_actor(login_id: str, authenticated_at: datetime, *, uow: UnitOfWork | None = None) -> Actor | None:
    """The user behind a session, or None when the session must end.

    Called on every run: a cookie or session from before the user's last logout or password
    change, or of a deactivated or expired account, logs nobody in.
    """
    with (uow or UnitOfWork()) as u:
        s = u.session
        user = _find_user(s, login_id)
        if user is None or not user.is_active:
            return None
        if authenticated_at < max(user.sessions_valid_after, user.password_changed_at):
            return None
        if _contract_ended_today(s, user):  # from 00:00 of the 解約日, before its job has run
            return None
        if temp_account_expired(s, user):
            return None
        return to_actor(user)


def logout(actor: Actor, *, uow: UnitOfWork | None = None) -> None:
    with (uow or UnitOfWork()) as u:
        s = u.session
        user = s.get(User, actor.user_id)
        if user is None:
            return
        user.sessions_valid_after = clock.now()
        audit.record(s, actor, AuditAction.AUTH_LOGOUT, target_type="user", target_id=user.id)
        u.commit()


def set_password(user: User, password: str, *, must_change: bool, field: str = "new") -> None:
    """The one way an existing user gets a new password (changed, re-issued, or reset by an
    administrator): every browser still logged in with the old one must log in again.

    Refuses a password that breaks a rule of SPEC §6 (length, 72 bytes, ASCII, login ID, strength)
    with ValidationFailed({field: ...}), before changing anything."""
    require_acceptable(password, user.login_id, field=field, user_inputs=_personal_inputs(user))
    now = clock.now()
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    user.password_changed_at = now
    user.sessions_valid_after = now


def change_password(actor: Actor, current: str, new: str, new_repeat: str, *,
                    uow: UnitOfWork | None = None) -> Actor:
    oversize: dict[str, FieldError] = {}  # over 72 bytes: refused before any database work
    if too_long(current):
        oversize["current"] = FieldError("password.current_wrong")
    if too_long(new) or too_long(new_repeat):
        oversize["new"] = FieldError("password.length", {"min": MIN_LENGTH, "max": MAX_LENGTH})
    if oversize:
        raise ValidationFailed(oversize)
    with (uow or UnitOfWork()) as u:
        s = u.session
        user = get_or_raise(s, User, actor.user_id)
        errors: dict[str, FieldError] = {}
        if not verify_password(current, user.password_hash):
            errors["current"] = FieldError("password.current_wrong")
        policy = policy_errors(new, user.login_id, _personal_inputs(user))
        if policy:
            errors["new"] = policy[0]
        elif new == current:
            errors["new"] = FieldError("password.same_as_current")
        if new != new_repeat:
            errors["new_repeat"] = FieldError("password.mismatch")
        if errors:
            raise ValidationFailed(errors)
        set_password(user, new, must_change=False)  # every other browser must log in again
        audit.record(s, actor, AuditAction.AUTH_PASSWORD_CHANGED, target_type="user", target_id=user.id)
        u.commit()
        return to_actor(user)


def _personal_inputs(user: User) -> tuple[str, ...]:
    """What the strength check treats as guessable for this user besides the login ID."""
    return tuple(v for v in (user.display_name, user.email, (user.email or "").split("@")[0]) if v)


def create_user(s: Session, *, login_id: str, display_name: str, password: str | None = None,
                roles: set[str], kind: UserKind = UserKind.STAFF, email: str | None = None,
                applicant_id: int | None = None, must_change_password: bool = True, is_demo: bool = False,
                password_hash: str | None = None) -> User:
    """Adds a user to the session (the caller commits). Issued passwords must be changed.

    `password_hash` is for demo data: one precomputed bcrypt hash shared by many demo users, since
    each hash costs ~0.2 s by design."""
    if password is not None and password_hash is None:
        hashed = hash_password(password)
    elif password is None and password_hash is not None:
        hashed = password_hash
    else:
        raise ValueError("give exactly one of password and password_hash")
    now = clock.now()
    user = User(login_id=login_id, login_key=login_key(login_id), kind=kind, display_name=display_name,
                email=email, password_hash=hashed,
                must_change_password=must_change_password, is_active=True, is_demo=is_demo,
                applicant_id=applicant_id, sessions_valid_after=now, password_changed_at=now,
                created_at=now, roles=[UserRole(role=r) for r in sorted(roles)])
    s.add(user)
    return user


def applicant_roles() -> set[str]:
    return {APPLICANT}


def user_directory_entry(login_id: str, *, uow: UnitOfWork | None = None) -> dict | None:
    """What the login widget needs to know about one user, looked up on demand."""
    with (uow or UnitOfWork()) as u:
        s = u.session
        user = _find_user(s, login_id)
        if user is None or not user.is_active:
            return None
        return {"name": user.display_name, "email": user.email, "roles": sorted(user.role_names),
                "password": user.password_hash}
