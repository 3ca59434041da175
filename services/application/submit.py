"""Submitting an application (「申込む」) and resubmitting a returned one: a 新規利用申込 here, a
システム設定申込 with its own checks and 受付完了 mail (services.system_settings.submission).

Every applicable screen is checked again on the server (and the システム構成図 for 一般 NACCS);
on success, in one transaction: status 申込受付, reference number, 新着情報, 受付完了 mail to the
申込事務担当者 and the 管理責任者, audit. A second click finds a newer version and is refused.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import Application, ApplicationSection, Attachment, ReviewComment
from services import clock, codes, mail, notices, workflow
from services.application.attachments import SYSTEM_DIAGRAM
from services.application.connection import requires_system_diagram
from services.application.fieldspec import Context
from services.application.forms import definition_for
from services.application.save import load_editable
from services.application.sections import (
    APPLICANT_CONTACT,
    INPUT_SECTIONS,
    LINE,
    LOGICAL_TERMINAL,
    OFFICE,
    context_of,
)
from services.audit import AuditAction
from services.authz import Actor
from services.cancellation import request as cancellation
from services.change import submission as change
from services.errors import FieldError, ValidationFailed
from services.mail_text import neutral
from services.notices import NoticeKind
from services.system_settings import submission as system_settings
from services.uow import UnitOfWork
from services.workflow import ApplicationKind, ApplicationStatus

RECEIPT_TEMPLATE = "receipt"
# The 申込種別 line of the 受付完了 mail (the mail is Japanese, like the template it fills).
KIND_LABELS = {False: "新規利用申込", True: "新規利用申込(共同利用)"}
CHANGE_LABEL = "変更申込"


@dataclass(frozen=True)
class SubmitResult:
    ref_no: str
    version: int
    resubmitted: bool


def missing_items(sections: dict[str, dict], shared_use: bool, has_diagram: bool,
                  ctx: Context | None = None) -> dict[str, FieldError]:
    """Everything that stops submission, keyed "<section>.<field path>" so the page can link to it.
    ctx: the application kind's own (a 変更申込's offers both 接続形態); default the new usage one."""
    ctx = ctx or context_of(sections, shared_use)
    errors: dict[str, FieldError] = {}
    for section in INPUT_SECTIONS:
        if not section.applies(ctx):
            continue
        checked = section.check(sections.get(section.key), ctx)
        errors.update({f"{section.key}.{path}": err for path, err in checked.errors.items()})
    if requires_system_diagram(ctx.connection_type) and not has_diagram:
        errors[f"{OFFICE}.system_diagram"] = FieldError("wizard.error.diagram_required")
    terminals = (sections.get(LOGICAL_TERMINAL) or {}).get("terminals") or []
    expected = (sections.get(LINE) or {}).get("logical_terminal_count")
    if isinstance(expected, int) and terminals and len(terminals) != expected:
        errors[f"{LOGICAL_TERMINAL}.terminals"] = FieldError(
            "wizard.error.terminal_count_mismatch", {"expected": expected, "actual": len(terminals)})
    return errors


def _new_usage_missing(s: Session, app: Application, sections: dict[str, dict]) -> dict[str, FieldError]:
    has_diagram = s.scalar(select(Attachment.id).where(
        Attachment.application_id == app.id, Attachment.purpose == SYSTEM_DIAGRAM).limit(1)) is not None
    return missing_items(sections, app.shared_use, has_diagram, definition_for(app.kind).context(sections, app))


def _new_usage_receipt(s: Session, app: Application, sections: dict[str, dict], now: datetime) -> None:
    _receipt(s, app, sections, now, KIND_LABELS[bool(app.shared_use)])


def _change_missing(s: Session, app: Application, sections: dict[str, dict]) -> dict[str, FieldError]:
    return change.missing_items(s, app, sections, _new_usage_missing(s, app, sections))


def _change_receipt(s: Session, app: Application, sections: dict[str, dict], now: datetime) -> None:
    _receipt(s, app, sections, now, CHANGE_LABEL)


def _receipt(s: Session, app: Application, sections: dict[str, dict], now: datetime, kind_label: str) -> None:
    """The 受付完了 mail to the 申込事務担当者 and the 管理責任者 of the application's contacts."""
    contact = sections.get(APPLICANT_CONTACT, {})
    mail.enqueue(s, RECEIPT_TEMPLATE,
                 [contact["application_clerk_email"], contact["admin_manager_email"]],
                 {"ref_no": app.ref_no, "company_name": neutral(sections.get(OFFICE, {}).get("company_name", "")),
                  "clerk_name": neutral(contact.get("application_clerk_name", "")),
                  "kind_label": kind_label,
                  "submitted_at": now.astimezone(clock.JST).strftime("%Y/%m/%d %H:%M")},
                 applicant_id=app.applicant_id)


# Per kind: what stops submission, and the 受付完了 mail.
_RULES: dict[str, tuple[Callable[[Session, Application, dict[str, dict]], dict[str, FieldError]],
                        Callable[[Session, Application, dict[str, dict], datetime], None]]] = {
    ApplicationKind.NEW_USAGE: (_new_usage_missing, _new_usage_receipt),
    ApplicationKind.SYSTEM_SETTINGS: (system_settings.missing_items, system_settings.send_receipt),
    ApplicationKind.CHANGE: (_change_missing, _change_receipt),
    ApplicationKind.CANCELLATION: (cancellation.missing_items, cancellation.send_receipt),
}


def submit_application(actor: Actor, application_id: int, expected_version: int, *,
                       uow: UnitOfWork | None = None) -> SubmitResult:
    """Checks every screen again and submits (a returned application: resubmits)."""
    with (uow or UnitOfWork()) as u:
        s = u.session
        app = load_editable(s, actor, application_id, lock=True)
        workflow.check_version(app, expected_version)
        sections = {r.section_key: dict(r.data or {}) for r in s.scalars(
            select(ApplicationSection).where(ApplicationSection.application_id == app.id))}
        missing, send_receipt = _RULES.get(app.kind, _RULES[ApplicationKind.NEW_USAGE])
        errors = missing(s, app, sections)
        if errors:
            raise ValidationFailed(errors)
        resubmitted = app.status == ApplicationStatus.RETURNED
        now = clock.now()
        workflow.transition(s, actor, app, ApplicationStatus.SUBMITTED, expected_version=expected_version,
                            action=AuditAction.APPLICATION_RESUBMIT if resubmitted else AuditAction.APPLICATION_SUBMIT)
        # The other click's submission may have committed between our read and this write.
        u.flush()
        app.ref_no = app.ref_no or codes.new_reference_number(s)
        app.submitted_at = now
        app.first_submitted_at = app.first_submitted_at or now
        if resubmitted:
            s.execute(update(ReviewComment).where(ReviewComment.application_id == app.id,
                                                  ReviewComment.resolved_at.is_(None)).values(resolved_at=now))
        notices.add_notice(s, app.applicant_id, NoticeKind.RECEIPT,
                           {"ref_no": app.ref_no, "kind": app.kind, "resubmitted": resubmitted},
                           application_id=app.id)
        send_receipt(s, app, sections, now)
        u.flush()
        result = SubmitResult(app.ref_no, app.version, resubmitted)
        u.commit()
        return result
