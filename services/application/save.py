"""Saving one 詳細入力画面 (次へ / 保存) and 一時保存.

Partial input is stored as typed, with the field errors returned for display: nothing entered is
lost. A save based on an older version of the screen (a second browser tab) is refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Application, ApplicationSection
from services import audit, clock, workflow
from services.application.forms import definition_for, get_section
from services.application.sections import (
    OFFICE,
    REVIEW_SCREEN,
    USER_CODE,
    industries_filter_value,
    status_of,
)
from services.audit import AuditAction
from services.authz import Actor, require_edit_access, require_office
from services.errors import DomainError, FieldError, NotFound, StaleData, ValidationFailed
from services.fields import fold_spacing
from services.uow import UnitOfWork, get_or_raise, retry_stale_once


@dataclass(frozen=True)
class SaveResult:
    section_key: str
    status: str                                   # EMPTY / PARTIAL / COMPLETE
    version: int                                  # the screen's new version
    data: dict[str, Any]                          # as stored (normalised where valid)
    errors: dict[str, FieldError] = field(default_factory=dict)
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # what normalising visibly changed


def load_editable(s: Session, actor: Actor, application_id: int, *, lock: bool = False) -> Application:
    app = get_or_raise(s, Application, application_id, with_for_update=lock)
    require_edit_access(actor, app.applicant_id)
    if definition_for(app.kind).office_only:  # システム設定申込: never a 仮ログイン ID (SPEC §2.4)
        require_office(actor, app.applicant_id)
    if app.status not in workflow.EDITABLE_BY_APPLICANT:
        raise DomainError("wizard.error.not_editable", status=app.status)
    return app


def save_section(actor: Actor, application_id: int, section_key: str, data: dict[str, Any],
                 expected_version: int, *, uow: UnitOfWork | None = None) -> SaveResult:
    """Saves one screen. A concurrent save of ANOTHER screen also moves the application's version,
    so a lost race is retried once: if it was this screen that changed, the version check below
    then refuses it with StaleData."""
    def work(u: UnitOfWork) -> SaveResult:
        with u:
            s = u.session
            app = load_editable(s, actor, application_id)
            definition = definition_for(app.kind)
            section = definition.section(section_key)
            if section.key == REVIEW_SCREEN:
                raise DomainError("wizard.error.unknown_section")
            rows = {r.section_key: r for r in s.scalars(
                select(ApplicationSection).where(ApplicationSection.application_id == app.id))}
            row = rows.get(section_key)
            if row is None:
                raise NotFound()
            if row.version != expected_version:
                raise StaleData()
            all_data = {k: r.data for k, r in rows.items()}
            chosen = definition.context(all_data, app).chosen
            if chosen is not None and section_key not in chosen:  # 変更申込: a part not chosen stays as contracted
                raise DomainError("change.error.part_not_chosen")
            all_data[section_key] = data
            ctx = definition.context(all_data, app)
            checked = section.check(data, ctx)
            if checked.refused:  # beyond a hard cap or unstorable characters: nothing is saved
                raise ValidationFailed(dict(checked.errors))
            before, before_status = dict(row.data or {}), row.status
            now = clock.now()
            row.data = checked.data
            row.status = status_of(section, checked, ctx)
            row.updated_at, row.updated_by_user_id = now, actor.user_id
            _denormalise(app, section_key, checked.data, ctx)
            _restatus_others(rows, section_key, ctx)
            app.updated_at = now
            old, new = audit.changed_fields(before, checked.data)  # the changed fields only
            audit.record(s, actor, AuditAction.APPLICATION_SECTION_SAVED, target_type="application",
                         target_id=app.id, applicant_id=app.applicant_id,
                         before={"section": section_key, "status": before_status, "data": old},
                         after={"section": section_key, "status": row.status, "data": new})
            u.flush()
            changes = visible_conversions(data, checked.data, checked.errors)
            result = SaveResult(section_key, row.status, row.version, dict(checked.data),
                                dict(checked.errors), changes)
            u.commit()
            return result
    return retry_stale_once(uow, work)


def save_draft(actor: Actor, application_id: int, section_key: str, data: dict[str, Any],
               expected_version: int, *, uow: UnitOfWork | None = None) -> SaveResult:
    """一時保存: the current screen is saved (the others already are, on 次へ/保存), recorded as a
    draft save; the page then logs the applicant out. 共同利用 offers it only on some screens."""
    def work(u: UnitOfWork) -> SaveResult:
        with u:
            s = u.session
            app = load_editable(s, actor, application_id)
            if not definition_for(app.kind).section(section_key).offers_draft_save(app.shared_use):
                raise DomainError("wizard.error.draft_save_not_offered")
            result = (save_section(actor, application_id, section_key, data, expected_version, uow=u)
                      if section_key != REVIEW_SCREEN else SaveResult(section_key, "", 0, {}))
            audit.record(s, actor, AuditAction.APPLICATION_SAVE_DRAFT, target_type="application",
                         target_id=app.id, applicant_id=app.applicant_id, after={"section": section_key})
            u.commit()
            return result
    return retry_stale_once(uow, work)


def visible_conversions(typed: dict[str, Any], stored: dict[str, Any],
                        errors: dict[str, FieldError]) -> dict[str, tuple[str, str]]:
    """What normalising changed that the user can see (full-width to half-width, hiragana to
    katakana): a typed text whose stored value reads differently. A blank, a mere change of type
    (「1」 stored as 1), a change of spacing only (half- to full-width space) or a field in error is
    no conversion worth a note."""
    found: dict[str, tuple[str, str]] = {}
    for name, value in stored.items():
        before = typed.get(name)
        if name in errors or not isinstance(before, str) or value is None or value == "":
            continue
        after = value if isinstance(value, str) else str(value)
        if fold_spacing(before) != fold_spacing(after):
            found[name] = (before, after)
    return found


def _restatus_others(rows: dict[str, ApplicationSection], saved_key: str, ctx) -> None:
    """A new 接続形態 or 処理方式 can make another screen's stored values wrong (methods of the
    other connection type) or right again: keep every stored 入力状況 true to the current choices."""
    for key, row in rows.items():
        if key in (saved_key, REVIEW_SCREEN):
            continue
        status = get_section(key).status(row.data, ctx)
        if row.status != status:
            row.status = status


def _denormalise(app: Application, section_key: str, data: dict[str, Any], ctx) -> None:
    """Columns the reviewer's queue filters on."""
    if section_key == OFFICE:
        app.connection_type = ctx.connection_type
        app.company_name = (data.get("company_name") or "").strip() or None  # the queue's 企業名
    elif section_key == USER_CODE:
        app.industries = industries_filter_value(data)
