"""Starting a 変更申込 (SPEC §2.6): the office picks the parts to change and the effective month.

The application gets a copy of every screen of the newest contract version (services.contract),
so the new usage application's rules see the contract as it would be after the change; only the
chosen parts' screens are listed and editable. One open 変更申込 per office at a time: a second
click waits for the first on the applicant's row and then finds it.
"""
from __future__ import annotations

from dataclasses import dataclass

from db.models import Application
from services import clock, contract
from services.application.create import create_draft, lock_applicant, open_procedure
from services.application.forms import CHANGE
from services.application.sections import OFFICE, USER_CODE, industries_filter_value
from services.authz import Actor, require_office
from services.change.parts import CHANGE_SCOPE, PART_KEYS, month_choices, month_text, parse_month
from services.errors import DomainError, FieldError, ValidationFailed
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind


@dataclass(frozen=True)
class OpenChange:
    application_id: int
    status: str


def open_change(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> OpenChange | None:
    """The office's 変更申込 not yet decided (入力中, 申込受付, 審査中 or 差戻し), if any."""
    require_office(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        app = _open(u.session, applicant_id)
        return OpenChange(app.id, app.status) if app else None


def _open(s, applicant_id: int) -> Application | None:
    return open_procedure(s, ApplicationKind.CHANGE, Application.applicant_id == applicant_id)


def _checked_scope(parts: list[str], effective_month: str) -> tuple[list[str], str]:
    errors: dict[str, FieldError] = {}
    chosen = [p for p in PART_KEYS if p in set(parts or [])]
    if not chosen or len(chosen) != len(set(parts or [])):
        errors["parts"] = FieldError("change.error.parts_required")
    month = parse_month(effective_month)
    if month is None or month_text(month) not in month_choices(clock.today_jst()):
        errors["effective_month"] = FieldError("change.error.effective_month")
    if errors:
        raise ValidationFailed(errors)
    assert month is not None
    return chosen, month_text(month)


def start_change(actor: Actor, applicant_id: int, parts: list[str], effective_month: str, *,
                 uow: UnitOfWork | None = None) -> int:
    """Creates the DRAFT 変更申込 with the contract's screens; returns its id."""
    require_office(actor, applicant_id)
    chosen, month = _checked_scope(parts, effective_month)
    with (uow or UnitOfWork()) as u:
        s = u.session
        lock_applicant(s, applicant_id)  # as application.start: two clicks make one change
        if _open(s, applicant_id) is not None:
            raise DomainError("change.error.already_open")
        current = contract.latest(s, applicant_id)
        if current is None:
            raise DomainError("change.error.no_contract")
        base = get_or_raise(s, Application, current.application_id)
        data = {key: dict(current.sections.get(key) or {}) for key in contract.VERSION_SECTIONS}
        data[CHANGE_SCOPE] = {"parts": chosen, "effective_month": month}
        office = data.get(OFFICE) or {}
        app_id = create_draft(s, actor, ApplicationKind.CHANGE, applicant_id, screens=CHANGE.input_sections, data=data,
                              shared_use=base.shared_use, connection_type=office.get("connection_type"),
                              industries=industries_filter_value(data.get(USER_CODE)),
                              company_name=(office.get("company_name") or "")[:100] or None,
                              audit_after={"parts": chosen, "effective_month": month})
        u.commit()
        return app_id
