"""Staff accounts and their roles (管理者 only)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from db.models import User, UserRole
from services import audit, clock
from services.audit import AuditAction
from services.auth import create_user, last_logins, locked_keys, login_key, set_password
from services.auth import unlock as auth_unlock
from services.authz import ADMIN, STAFF_ROLES, Actor, UserKind, require_role
from services.errors import DomainError, FieldError, NotFound, ValidationFailed
from services.fields import (
    FieldInvalid,
    clean_email,
    clean_required_text,
    fold_spacing,
    nfkc,
    safe_text_or_empty,
    to_half_width_ascii,
)
from services.passwords import generate_password
from services.uow import UnitOfWork

_LOGIN_ID = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{2,31}$")
_LOOKS_LIKE_CODE = re.compile(r"^T\d+$", re.IGNORECASE)  # the 仮ログイン ID shape stays reserved


@dataclass(frozen=True)
class StaffRow:
    user_id: int
    login_id: str
    display_name: str
    email: str | None
    roles: tuple[str, ...]
    is_active: bool
    must_change_password: bool
    created_at: datetime
    last_login_at: datetime | None = None
    locked: bool = False


def _row(u: User, last_login_at: datetime | None = None, locked: bool = False) -> StaffRow:
    return StaffRow(u.id, u.login_id, u.display_name, u.email, tuple(sorted(u.role_names)), u.is_active,
                    u.must_change_password, u.created_at, last_login_at, locked)


def list_staff(actor: Actor, *, uow: UnitOfWork | None = None) -> list[StaffRow]:
    return search_staff(actor, page_size=10_000, uow=uow)[1]


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_staff(actor: Actor, *, search: str = "", role: str | None = None, locked_only: bool = False,
                 page: int = 0, page_size: int = 50, uow: UnitOfWork | None = None) -> tuple[int, list[StaffRow]]:
    """Staff accounts by login ID, name or mail (typed text NFKC-folded, spacing folded, any case),
    with one role or only the locked ones; paged in the database, each row with its last login
    and lock status (services.auth: the one rule of a lock)."""
    require_role(actor, ADMIN)
    text = fold_spacing(nfkc(safe_text_or_empty(search, 254)))
    conditions = [User.kind == UserKind.STAFF]
    if text:
        like = _like(text.lower())
        conditions.append(or_(User.login_key.like(like, escape="\\"),
                              func.lower(User.display_name).like(like, escape="\\"),
                              func.lower(User.email).like(like, escape="\\")))
    if role:
        conditions.append(User.roles.any(UserRole.role == role))
    with (uow or UnitOfWork()) as u:
        s = u.session
        if locked_only:
            conditions.append(User.login_key.in_(locked_keys(s) or {""}))
        total = s.scalar(select(func.count()).select_from(User).where(*conditions)) or 0
        found = list(s.scalars(select(User).where(*conditions).order_by(User.login_key)
                               .offset(page * page_size).limit(page_size)))
        keys = [user.login_key for user in found]
        last, locked = last_logins(s, keys), locked_keys(s, keys)
        return total, [_row(user, last.get(user.login_key), user.login_key in locked) for user in found]


def locked_staff_count(s: Session) -> int:
    """Locked staff accounts now (the admin home)."""
    keys = locked_keys(s)
    if not keys:
        return 0
    return s.scalar(select(func.count()).select_from(User)
                    .where(User.kind == UserKind.STAFF, User.login_key.in_(keys))) or 0


def _require_another_admin(s: Session, user: User) -> None:
    """Refuses to take the last active administrator away (disabled or its role removed).

    Two administrators removing each other at once must not both pass, so the active
    administrators' rows are written (a no-op UPDATE) before they are counted: the write waits
    for a concurrent change to commit (a row lock on PostgreSQL, the write lock on SQLite, whose
    reads alone take no lock), and the count after it reads that change (READ COMMITTED gives each
    statement a fresh snapshot)."""
    if not user.is_active or ADMIN not in user.role_names:
        return
    active = (User.kind == UserKind.STAFF, User.is_active.is_(True), User.roles.any(UserRole.role == ADMIN))
    s.execute(update(User).where(*active).values(is_active=User.is_active)
              .execution_options(synchronize_session=False))
    admins = s.scalars(select(User.id).where(*active))
    if not [i for i in admins if i != user.id]:
        raise DomainError("users.last_admin")


def _clean_roles(roles: set[str]) -> set[str]:
    roles = set(roles)
    if not roles or not roles <= STAFF_ROLES:
        raise ValidationFailed({"roles": FieldError("users.roles_required")})
    return roles


def create_staff(actor: Actor, login_id: str, display_name: str, email: str, roles: set[str], *,
                 uow: UnitOfWork | None = None) -> str:
    """Creates the user and returns the issued password, shown once to the administrator."""
    require_role(actor, ADMIN)
    errors: dict[str, FieldError] = {}
    login_id = to_half_width_ascii(login_id or "").strip()
    if not _LOGIN_ID.match(login_id) or _LOOKS_LIKE_CODE.match(login_id):
        errors["login_id"] = FieldError("users.login_id_format")
    values = {}
    for name, clean in (("display_name", lambda v: clean_required_text(v, 100)), ("email", clean_email)):
        try:
            values[name] = clean(display_name if name == "display_name" else email)
        except FieldInvalid as exc:
            errors[name] = exc.error
    try:
        roles = _clean_roles(roles)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    password = generate_password()
    with (uow or UnitOfWork()) as u:
        s = u.session
        if s.scalar(select(User.id).where(User.login_key == login_key(login_id))):
            raise ValidationFailed({"login_id": FieldError("users.login_id_taken")})
        user = create_user(s, login_id=login_id, display_name=values["display_name"], password=password,
                           roles=roles, email=values["email"], must_change_password=True)
        s.flush()
        audit.record(s, actor, AuditAction.USER_CREATED, target_type="user", target_id=user.id,
                     after={"login_id": login_id, "roles": sorted(roles)})
        u.commit()
    return password


def _staff_user(s: Session, user_id: int) -> User:
    user = s.get(User, user_id)
    if user is None or user.kind != UserKind.STAFF:
        raise NotFound()
    return user


def set_roles(actor: Actor, user_id: int, roles: set[str], *, uow: UnitOfWork | None = None) -> None:
    require_role(actor, ADMIN)
    roles = _clean_roles(roles)
    if user_id == actor.user_id and ADMIN not in roles:
        raise DomainError("users.cannot_drop_own_admin")
    with (uow or UnitOfWork()) as u:
        s = u.session
        user = _staff_user(s, user_id)
        if ADMIN not in roles:
            _require_another_admin(s, user)
        before = sorted(user.role_names)
        user.roles = [UserRole(role=r) for r in sorted(roles)]
        audit.record(s, actor, AuditAction.USER_ROLES_CHANGED, target_type="user", target_id=user.id,
                     before={"roles": before}, after={"roles": sorted(roles)})
        u.commit()


def set_active(actor: Actor, user_id: int, active: bool, *, uow: UnitOfWork | None = None) -> None:
    require_role(actor, ADMIN)
    if user_id == actor.user_id and not active:
        raise DomainError("users.cannot_deactivate_self")
    with (uow or UnitOfWork()) as u:
        s = u.session
        user = _staff_user(s, user_id)
        if not active:
            _require_another_admin(s, user)
        user.is_active = active
        user.sessions_valid_after = clock.now()
        audit.record(s, actor, AuditAction.USER_ACTIVATED if active else AuditAction.USER_DEACTIVATED,
                     target_type="user", target_id=user.id)
        u.commit()


def reset_password(actor: Actor, user_id: int, *, uow: UnitOfWork | None = None) -> str:
    require_role(actor, ADMIN)
    with (uow or UnitOfWork()) as u:
        s = u.session
        user = _staff_user(s, user_id)
        password = generate_password(login_id=user.login_id)  # set_password checks the policy again
        set_password(user, password, must_change=True)
        audit.record(s, actor, AuditAction.USER_PASSWORD_REISSUED, target_type="user", target_id=user.id)
        u.commit()
    return password


def unlock(actor: Actor, user_id: int, *, uow: UnitOfWork | None = None) -> None:
    """Lifts a staff account's login lock before it runs out (services.auth.unlock)."""
    require_role(actor, ADMIN)
    with (uow or UnitOfWork()) as u:
        s = u.session
        user = _staff_user(s, user_id)
        auth_unlock(s, user.login_key)
        audit.record(s, actor, AuditAction.USER_UNLOCKED, target_type="user", target_id=user.id)
        u.commit()
