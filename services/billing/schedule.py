"""料金表 with validity dates (SPEC §2.6): each schedule applies from its start month until the next
one starts, so a past month is always computed with the schedule in force then. `in_force` is the
one way to read it (the wizard's estimate, 請求内容参照 and the plan advisor). Before the first
stored schedule — or with none stored — the seed db.reference.FEE_SCHEDULE applies."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from db.models import FeeSchedule as FeeScheduleRow
from db.models import UsageRecord
from db.reference import FEE_SCHEDULE, FeeSchedule
from services import audit, clock
from services.audit import AuditAction
from services.authz import ADMIN, Actor, require_role
from services.billing.months import month_of
from services.errors import FieldError, ValidationFailed
from services.uow import UnitOfWork

FIELDS = ("basic_per_unit", "rate_a", "rate_b", "management_reports_per_user_code", "bonded_storage_per_user_code")


@dataclass(frozen=True)
class ScheduleVersion:
    valid_from: date
    values: FeeSchedule


def _values(row: FeeScheduleRow) -> FeeSchedule:
    return {"basic_per_unit": row.basic_per_unit, "rate_a": float(row.rate_a), "rate_b": float(row.rate_b),
            "management_reports_per_user_code": row.management_reports_per_user_code,
            "bonded_storage_per_user_code": row.bonded_storage_per_user_code}


def schedule_at(session: Session, month: date) -> FeeSchedule:
    """The schedule in force in `month` (any day of it)."""
    row = session.scalar(select(FeeScheduleRow).where(FeeScheduleRow.valid_from <= month_of(month))
                         .order_by(FeeScheduleRow.valid_from.desc()).limit(1))
    return _values(row) if row is not None else FEE_SCHEDULE


def schedules_for(session: Session, months: list[date]) -> dict[date, FeeSchedule]:
    """The schedule in force in each month, from one query (a statement covers many months)."""
    rows = list(session.scalars(select(FeeScheduleRow).order_by(FeeScheduleRow.valid_from)))
    out: dict[date, FeeSchedule] = {}
    for month in months:
        found = [r for r in rows if r.valid_from <= month_of(month)]
        out[month] = _values(found[-1]) if found else FEE_SCHEDULE
    return out


def in_force(day: date | None = None, *, uow: UnitOfWork | None = None) -> FeeSchedule:
    """Public fee facts: the schedule in force on `day` (default today, Japan time)."""
    with (uow or UnitOfWork()) as u:
        return schedule_at(u.session, day or clock.today_jst())


def versions(actor: Actor, *, uow: UnitOfWork | None = None) -> list[ScheduleVersion]:
    require_role(actor, ADMIN)
    with (uow or UnitOfWork()) as u:
        rows = u.session.scalars(select(FeeScheduleRow).order_by(FeeScheduleRow.valid_from.desc()))
        return [ScheduleVersion(r.valid_from, _values(r)) for r in rows]


def _check(session: Session, valid_from: date, values: dict[str, float]) -> dict[str, FieldError]:
    errors: dict[str, FieldError] = {}
    for key in FIELDS:
        value = values.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            errors[key] = FieldError("billing.schedule.error.negative")
        elif key not in ("rate_a", "rate_b") and int(value) != value:
            errors[key] = FieldError("billing.schedule.error.integer")
    if valid_from.day != 1:
        errors["valid_from"] = FieldError("billing.schedule.error.first_day")
    elif session.scalar(select(FeeScheduleRow.id).where(FeeScheduleRow.valid_from == valid_from)):
        errors["valid_from"] = FieldError("billing.schedule.error.exists")
    elif valid_from < month_of(clock.today_jst()) and session.scalar(
            select(exists().where(UsageRecord.month >= valid_from))):
        # A month already billed keeps the schedule it was billed with.
        errors["valid_from"] = FieldError("billing.schedule.error.billed")
    return errors


def add_version(actor: Actor, valid_from: date, values: dict[str, float], *, uow: UnitOfWork | None = None) -> date:
    """A new schedule from `valid_from` (the first day of a month). Administrators only."""
    require_role(actor, ADMIN)
    with (uow or UnitOfWork()) as u:
        s = u.session
        errors = _check(s, valid_from, values)
        if errors:
            raise ValidationFailed(errors)
        row = FeeScheduleRow(valid_from=valid_from, created_at=clock.now(), created_by_user_id=actor.user_id,
                             basic_per_unit=int(values["basic_per_unit"]), rate_a=float(values["rate_a"]),
                             rate_b=float(values["rate_b"]),
                             management_reports_per_user_code=int(values["management_reports_per_user_code"]),
                             bonded_storage_per_user_code=int(values["bonded_storage_per_user_code"]))
        before = schedule_at(s, valid_from)  # what that month was computed with until now
        s.add(row)
        s.flush()
        audit.record(s, actor, AuditAction.FEE_SCHEDULE_ADDED, target_type="fee_schedule", target_id=row.id,
                     before=dict(before), after={"valid_from": valid_from.isoformat(), **_values(row)})
        u.commit()
        return valid_from


def add_versions(actor: Actor, rows: list[tuple[date, dict[str, float]]], *, uow: UnitOfWork | None = None) -> int:
    """Several new schedules (the rows an administrator added to the table) in one transaction, or
    none: a refused row's errors come back keyed "<row>.<field>" (rows counted from 1)."""
    require_role(actor, ADMIN)
    with (uow or UnitOfWork()) as u:
        errors: dict[str, FieldError] = {}
        for n, (valid_from, values) in enumerate(rows, start=1):
            try:
                add_version(actor, valid_from, values, uow=u)
            except ValidationFailed as refused:
                errors |= {f"{n}.{k}": FieldError(e.code, {"row": n, **e.params}) for k, e in refused.errors.items()}
        if errors:
            raise ValidationFailed(errors)
        u.commit()
        return len(rows)
