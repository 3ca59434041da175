"""システム利用規程 with versions (issue 11 item 5).

An administrator writes a new version with the day it takes effect (today or later). The stored
moment is 00:00 JST of that day (`effective_from`, aware UTC like every timestamp) — for today, the
moment it is saved, so what was in force earlier today stays what it was — and "in force" is one
comparison: the version in force at a moment T is the one with the greatest
effective_from <= T; two versions taking effect on the same day: the one written later. A new
temporary account agrees to the version in force when it is issued (services.temp_accounts) and
keeps that row for good (Applicant.terms_version_id); staff read it with `agreed_terms`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Applicant, TermsVersion
from services import audit, clock
from services.audit import AuditAction
from services.authz import ADMIN, STAFF_ROLES, Actor, require_role
from services.deadlines import jst_midnight_utc
from services.errors import FieldError, ValidationFailed
from services.fields import FieldInvalid, clean_required_text
from services.uow import UnitOfWork, get_or_raise

LABEL_MAX = 32        # terms_versions.version is String(32)
BODY_MAX = 20_000     # the first version is about 1,100 characters
DUPLICATE = "terms.error.duplicate"
PAST_DATE = "terms.error.past_date"
NO_DATE = "terms.error.no_date"


class TermsStatus(StrEnum):
    """Where a version stands at a moment (施行中 / 予定 / 過去)."""
    IN_FORCE = "IN_FORCE"
    SCHEDULED = "SCHEDULED"
    PAST = "PAST"


@dataclass(frozen=True)
class TermsInfo:
    id: int
    version: str
    body: str
    effective_from: datetime
    created_at: datetime
    status: TermsStatus


@dataclass(frozen=True)
class AgreedTerms:
    """The version an account agreed to, as staff see it."""
    version: str
    body: str
    effective_from: datetime
    agreed_at: datetime
    via: str                          # temp_accounts.Channel


def effective_moment(day: date) -> datetime:
    """The moment a version chosen for `day` takes effect: 00:00 JST of that day."""
    return jst_midnight_utc(day)


def in_force_at(s: Session, at: datetime) -> TermsVersion | None:
    return s.scalar(select(TermsVersion).where(TermsVersion.effective_from <= at)
                    .order_by(TermsVersion.effective_from.desc(), TermsVersion.id.desc()).limit(1))


def scheduled(s: Session, at: datetime) -> list[TermsVersion]:
    """Versions written but not yet in force at `at`, the next one first."""
    return list(s.scalars(select(TermsVersion).where(TermsVersion.effective_from > at)
                          .order_by(TermsVersion.effective_from, TermsVersion.id)))


def _status(row: TermsVersion, current_id: int | None, at: datetime) -> TermsStatus:
    if row.id == current_id:
        return TermsStatus.IN_FORCE
    return TermsStatus.SCHEDULED if row.effective_from > at else TermsStatus.PAST


def versions(actor: Actor, *, uow: UnitOfWork | None = None) -> list[TermsInfo]:
    """Every version, the latest to take effect first, with its status now."""
    require_role(actor, ADMIN)
    now = clock.now()
    with (uow or UnitOfWork()) as u:
        s = u.session
        current = in_force_at(s, now)
        rows = s.scalars(select(TermsVersion).order_by(TermsVersion.effective_from.desc(), TermsVersion.id.desc()))
        return [TermsInfo(r.id, r.version, r.body, r.effective_from, r.created_at,
                          _status(r, current.id if current else None, now)) for r in rows]


def _clean(errors: dict[str, FieldError], name: str, value: object, max_len: int, *, multiline: bool) -> str:
    try:
        return clean_required_text(value, max_len, multiline=multiline)
    except FieldInvalid as exc:
        errors[name] = exc.error
        return ""


def _check(s: Session, version: object, body: object, effective_on: date | None) -> tuple[str, str, dict[str, FieldError]]:
    errors: dict[str, FieldError] = {}
    label = _clean(errors, "version", version, LABEL_MAX, multiline=False)
    text = _clean(errors, "body", body, BODY_MAX, multiline=True)
    if label and s.scalar(select(func.count()).select_from(TermsVersion).where(TermsVersion.version == label)):
        errors["version"] = FieldError(DUPLICATE, {"version": label})
    if effective_on is None:
        errors["effective_on"] = FieldError(NO_DATE)
    elif effective_on < clock.today_jst():
        # An account issued yesterday agreed to what was in force yesterday: the past stays as it was.
        errors["effective_on"] = FieldError(PAST_DATE)
    return label, text, errors


def add_version(actor: Actor, version: str, body: str, effective_on: date | None, *,
                uow: UnitOfWork | None = None) -> int:
    """A new version taking effect at 00:00 JST of `effective_on` (today or later). Administrators
    only; a refusal (ValidationFailed, one error per field) saves nothing."""
    require_role(actor, ADMIN)
    with (uow or UnitOfWork()) as u:
        s = u.session
        label, text, errors = _check(s, version, body, effective_on)
        if errors:
            raise ValidationFailed(errors)
        assert effective_on is not None
        now = clock.now()
        row = TermsVersion(version=label, body=text, created_at=now, created_by_user_id=actor.user_id,
                           effective_from=max(effective_moment(effective_on), now))
        s.add(row)
        try:
            u.flush()
        except IntegrityError:  # the same label written by another administrator at this moment
            raise ValidationFailed({"version": FieldError(DUPLICATE, {"version": label})}) from None
        audit.record(s, actor, AuditAction.TERMS_VERSION_ADDED, target_type="terms_version", target_id=row.id,
                     after={"version": label, "effective_on": effective_on.isoformat(), "characters": len(text)})
        u.commit()
        return row.id


def agreed_terms(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> AgreedTerms:
    """The version the applicant's account agreed to (staff: desk, reviewers, administrators)."""
    require_role(actor, *STAFF_ROLES)
    with (uow or UnitOfWork()) as u:
        a = get_or_raise(u.session, Applicant, applicant_id)
        row = get_or_raise(u.session, TermsVersion, a.terms_version_id)
        return AgreedTerms(row.version, row.body, row.effective_from, a.terms_agreed_at, a.terms_agreed_via)
