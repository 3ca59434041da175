"""Reviewer decisions. Each is ONE unit of work: status, codes, notice, audit event and outbox mail
are committed together or not at all. Every action takes the `expected_version` the page showed;
an application changed since then is refused with StaleData (two reviewers at once).

Audit actions written here are review steps (`AuditAction.is_review_step`), so that the desk-entry
rule below can tell a reviewer's own review work from data they entered for the applicant.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, AuditEvent, ReviewComment, User, UserRole
from services import audit, clock, deadlines, mail, notices, secrets
from services.audit import AuditAction
from services.authz import REVIEWER, Actor, ReviewAction, require_permission
from services.calendar import is_business_day
from services.cancellation import effect as cancellation
from services.cancellation.request import target_text
from services.change import approval as change_approval
from services.errors import DomainError, FieldError, PermissionDenied, ValidationFailed
from services.fields import INVALID_CHARS, has_refused_characters
from services.notes import NOTE_MAX
from services.notices import NoticeKind
from services.review import decision_mail
from services.review.issuance import issue_for_approval
from services.review.sections import SECTION_KEYS, commentable_keys
from services.system_settings import approval as system_settings_approval
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind, ApplicationStatus, available_actions, check_version, transition

MAX_START_AHEAD = timedelta(days=366)  # a 利用開始日 is chosen within a year of the approval
MAX_TEXT = NOTE_MAX  # one limit for every free text staff write (comments, reasons, notes)


@dataclass(frozen=True)
class ApprovalResult:
    office_code: str
    user_ids: list[str]
    start_date: date | None            # None: a システム設定申込 (no 利用開始日); 変更申込: its effective day
    settings_deadline: date | None
    user_code: str | None = None       # システム設定申込: the 利用者コード whose items became ○; 解約申込: the one cancelled
    registered: tuple[str, ...] = ()
    cancel_date: date | None = None    # 解約申込: its 解約日


# The decision mails of each kind (templates/mail/<name>.txt).
MAIL_TEMPLATES: dict[str, dict[str, str]] = {
    ApplicationKind.CHANGE: {"approval": "change_approval", "returned": "change_returned",
                             "rejected": "change_rejected"},
    ApplicationKind.SYSTEM_SETTINGS: {"approval": "system_settings_approval", "returned": "system_settings_returned",
                                      "rejected": "system_settings_rejected"},
    ApplicationKind.CANCELLATION: {"approval": "cancellation_approval", "returned": "cancellation_returned",
                                   "rejected": "cancellation_rejected"},
}


def _template(app: Application, decision: str) -> str:
    return MAIL_TEMPLATES.get(app.kind, {}).get(decision, decision)


def _move(u: UnitOfWork, actor: Actor, app: Application, target: ApplicationStatus, expected_version: int,
          action: AuditAction) -> None:
    transition(u.session, actor, app, target, expected_version=expected_version, action=action)
    # Write the version bump now: a concurrent decision waits here and is refused, before any work.
    u.flush()


# ------------------------------------------------------------------ claim / assign / release

def _set_assignee(u: UnitOfWork, actor: Actor, app: Application, assignee_id: int, expected_version: int) -> None:
    s = u.session
    check_version(app, expected_version)
    before = app.assignee_id
    app.assignee_id = assignee_id
    if app.status == ApplicationStatus.SUBMITTED:
        transition(s, actor, app, ApplicationStatus.IN_REVIEW, expected_version=expected_version,
                   action=AuditAction.REVIEW_CLAIMED)
    elif app.status != ApplicationStatus.IN_REVIEW:
        raise DomainError("review.not_open")
    audit.record(s, actor, AuditAction.REVIEW_ASSIGNED, target_type="application", target_id=app.id,
                 applicant_id=app.applicant_id, before={"assignee_id": before}, after={"assignee_id": assignee_id})
    u.flush()


def claim(actor: Actor, application_id: int, expected_version: int, *, uow: UnitOfWork | None = None) -> None:
    """Take the application: 審査中, assigned to me."""
    require_permission(actor, ReviewAction.CLAIM)
    with (uow or UnitOfWork()) as u:
        _set_assignee(u, actor, get_or_raise(u.session, Application, application_id), actor.user_id, expected_version)
        u.commit()


def assign(actor: Actor, application_id: int, reviewer_user_id: int, expected_version: int, *,
           uow: UnitOfWork | None = None) -> None:
    require_permission(actor, ReviewAction.ASSIGN)
    with (uow or UnitOfWork()) as u:
        s = u.session
        is_reviewer = s.scalar(select(exists().where(
            UserRole.user_id == User.id, UserRole.role == REVIEWER,
            User.id == reviewer_user_id, User.is_active.is_(True))))
        if not is_reviewer:
            raise ValidationFailed({"assignee": FieldError("review.assignee_not_reviewer")})
        _set_assignee(u, actor, get_or_raise(s, Application, application_id), reviewer_user_id, expected_version)
        u.commit()


def release(actor: Actor, application_id: int, expected_version: int, *, uow: UnitOfWork | None = None) -> None:
    """Back to the queue, unassigned."""
    require_permission(actor, ReviewAction.RELEASE)
    with (uow or UnitOfWork()) as u:
        app = get_or_raise(u.session, Application, application_id)
        app.assignee_id = None
        _move(u, actor, app, ApplicationStatus.SUBMITTED, expected_version, AuditAction.REVIEW_RELEASED)
        u.commit()


# ------------------------------------------------------------------ 承認

def _check_start_date(start_date: date | None) -> date:
    """The chosen 利用開始日, once it is given, in the future and a business day."""
    if start_date is None:
        raise ValidationFailed({"start_date": FieldError("review.start_date_required")})
    if start_date <= clock.today_jst():
        raise ValidationFailed({"start_date": FieldError("review.start_date_not_future")})
    if start_date > clock.today_jst() + MAX_START_AHEAD:  # (date.max once overflowed the deadlines)
        raise ValidationFailed({"start_date": FieldError("review.start_date_too_far",
                                                         {"days": MAX_START_AHEAD.days})})
    if not is_business_day(start_date):
        raise ValidationFailed({"start_date": FieldError("review.start_date_not_business_day")})
    return start_date


_DATA_ENTRY_VALUES = sorted(a.value for a in audit.DATA_ENTRY_ACTIONS)  # sorted: a stable statement


def entered_at_desk(s: Session, actor: Actor, applicant_id: int) -> bool:
    """Did this user enter or change anything for the applicant (support desk, on the phone)?"""
    return bool(s.scalar(select(exists().where(
        AuditEvent.actor_user_id == actor.user_id, AuditEvent.on_behalf_of_applicant_id == applicant_id,
        AuditEvent.action.in_(_DATA_ENTRY_VALUES)))))


def approve(actor: Actor, application_id: int, start_date: date | None, expected_version: int, *,
            uow: UnitOfWork | None = None) -> ApprovalResult:
    """承認. A 新規利用申込 needs the 利用開始日 and issues the codes; a システム設定申込 takes no date
    (`start_date` is ignored) and registers its items (○ in 契約内容確認)."""
    require_permission(actor, ReviewAction.APPROVE)
    with (uow or UnitOfWork()) as u:
        s = u.session
        app = get_or_raise(s, Application, application_id)
        approve_kind = _APPROVE_LATER_PROCEDURE.get(str(app.kind))
        if approve_kind is not None:
            result = approve_kind(u, actor, app, expected_version)
            u.commit()
            return result
        start = _check_start_date(start_date)
        if entered_at_desk(s, actor, app.applicant_id):
            raise PermissionDenied("review.entered_at_desk")
        app.start_date, app.decided_at = start, clock.now()
        app.assignee_id = app.assignee_id or actor.user_id
        _move(u, actor, app, ApplicationStatus.APPROVED, expected_version, AuditAction.REVIEW_APPROVED)
        applicant = get_or_raise(s, Applicant, app.applicant_id)
        issued = issue_for_approval(s, app, applicant)
        deadline = deadlines.system_settings_deadline(start)
        if issued.office_password is not None:
            notices.add_notice(s, applicant.id, NoticeKind.ID_NOTICE, application_id=app.id,
                               secret=secrets.encrypt(issued.office_password),
                               params={"office_code": issued.office_code, "start_date": start.isoformat(),
                                       "display_until": deadlines.id_notice_display_until(start).isoformat(),
                                       "user_ids": issued.user_ids})
        notices.add_notice(s, applicant.id, NoticeKind.APPROVED, application_id=app.id,
                           params={"ref_no": app.ref_no, "start_date": start.isoformat(),
                                   "settings_deadline": deadline.isoformat()})
        audit.record(s, actor, AuditAction.REVIEW_CODES_ISSUED, target_type="application", target_id=app.id,
                     applicant_id=app.applicant_id,
                     after={"office_code": issued.office_code, "user_ids": issued.user_ids,
                            "start_date": start.isoformat()})
        mail.enqueue(s, "approval", decision_mail.recipients(s, app, applicant),
                     decision_mail.params(app, applicant, start_date=decision_mail.day(start),
                                          settings_deadline=decision_mail.day(deadline)),
                     applicant_id=applicant.id)
        u.commit()
        return ApprovalResult(issued.office_code, issued.user_ids, start, deadline)


def _approve_system_settings(u: UnitOfWork, actor: Actor, app: Application, expected_version: int) -> ApprovalResult:
    s = u.session
    applicant = _approve_office_procedure(u, actor, app, expected_version)
    user_code, added = system_settings_approval.register_approval(s, app)
    notices.add_notice(s, applicant.id, NoticeKind.APPROVED, application_id=app.id,
                       params={"ref_no": app.ref_no, "kind": app.kind, "user_code": user_code})
    mail.enqueue(s, _template(app, "approval"), decision_mail.recipients(s, app, applicant),
                 decision_mail.params(app, applicant, user_code=user_code), applicant_id=applicant.id)
    u.flush()
    return ApprovalResult(applicant.office_code or "", [], None, None, user_code, tuple(added))


def _approve_office_procedure(u: UnitOfWork, actor: Actor, app: Application, expected_version: int) -> Applicant:
    """What approving a later procedure of an office (システム設定申込, 変更申込, 解約申込) does first: the desk's own
    entries are not approved by their author, the decision is recorded and the status moves."""
    s = u.session
    if entered_at_desk(s, actor, app.applicant_id):
        raise PermissionDenied("review.entered_at_desk")
    app.decided_at = clock.now()
    app.assignee_id = app.assignee_id or actor.user_id
    _move(u, actor, app, ApplicationStatus.APPROVED, expected_version, AuditAction.REVIEW_APPROVED)
    applicant = get_or_raise(s, Applicant, app.applicant_id)
    return applicant


def _approve_change(u: UnitOfWork, actor: Actor, app: Application, expected_version: int) -> ApprovalResult:
    """変更申込: the contract changes on the effective month (services.change.approval); no date is
    chosen here (`start_date` is ignored) and no office code or password is issued."""
    s = u.session
    applicant = _approve_office_procedure(u, actor, app, expected_version)
    applied = change_approval.apply_change(s, app)
    effective = applied.effective_from.isoformat()
    notices.add_notice(s, applicant.id, NoticeKind.APPROVED, application_id=app.id,
                       params={"ref_no": app.ref_no, "kind": app.kind, "effective_from": effective,
                               "user_ids": list(applied.new_user_ids)})
    if applied.new_user_ids or applied.retired_user_codes:
        audit.record(s, actor, AuditAction.REVIEW_CODES_ISSUED, target_type="application", target_id=app.id,
                     applicant_id=app.applicant_id,
                     after={"user_ids": list(applied.new_user_ids), "retired": list(applied.retired_user_codes),
                            "effective_from": effective})
    mail.enqueue(s, _template(app, "approval"), decision_mail.recipients(s, app, applicant),
                 decision_mail.params(app, applicant, effective_month=applied.effective_from.strftime("%Y/%m"),
                                       user_ids="、".join(applied.new_user_ids) or "なし"),
                 applicant_id=applicant.id)
    u.flush()
    return ApprovalResult(applicant.office_code or "", list(applied.new_user_ids), applied.effective_from, None)


def _approve_cancellation(u: UnitOfWork, actor: Actor, app: Application, expected_version: int) -> ApprovalResult:
    """解約申込: the 解約日 recorded (applied at once if it has come; else by the job on that day)."""
    s = u.session
    applicant = _approve_office_procedure(u, actor, app, expected_version)
    done = cancellation.record_approval(s, app)
    notices.add_notice(s, applicant.id, NoticeKind.APPROVED, application_id=app.id,
                       params={"ref_no": app.ref_no, "kind": app.kind, "user_code": done.user_code,
                               "cancel_date": done.cancel_date.isoformat()})
    mail.enqueue(s, _template(app, "approval"), decision_mail.recipients(s, app, applicant),
                 decision_mail.params(app, applicant, target=target_text(done.user_code),
                                       cancel_date=decision_mail.day(done.cancel_date)),
                 applicant_id=applicant.id)
    u.flush()
    return ApprovalResult(applicant.office_code or "", [], None, None, done.user_code, cancel_date=done.cancel_date)


# How each later procedure of an office is approved (a 新規利用申込 takes the path above).
_APPROVE_LATER_PROCEDURE = {ApplicationKind.SYSTEM_SETTINGS.value: _approve_system_settings,
                            ApplicationKind.CHANGE.value: _approve_change,
                            ApplicationKind.CANCELLATION.value: _approve_cancellation}


# ------------------------------------------------------------------ 差戻し / 却下

def _clean_comments(comments: dict[str, str], section_keys: tuple[str, ...] = SECTION_KEYS) -> dict[str, str]:
    cleaned = {k: (v or "").strip() for k, v in comments.items() if (v or "").strip()}
    errors = {f"comment.{k}": FieldError("review.unknown_section") for k in cleaned if k not in section_keys}
    errors |= {f"comment.{k}": FieldError("review.too_long", {"max": MAX_TEXT})
               for k, v in cleaned.items() if len(v) > MAX_TEXT}
    errors |= {f"comment.{k}": FieldError(INVALID_CHARS) for k, v in cleaned.items()
               if f"comment.{k}" not in errors and has_refused_characters(v, multiline=True)}
    if not cleaned:
        errors["comments"] = FieldError("review.comment_required")
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def return_for_correction(actor: Actor, application_id: int, comments: dict[str, str],
                          expected_version: int, *, uow: UnitOfWork | None = None) -> None:
    """差戻し with a comment per screen; the applicant sees each on its screen."""
    require_permission(actor, ReviewAction.RETURN)
    with (uow or UnitOfWork()) as u:
        s = u.session
        app = get_or_raise(s, Application, application_id)
        section_keys = commentable_keys(s, app)
        cleaned = _clean_comments(comments, section_keys)
        app.decided_at = clock.now()
        _move(u, actor, app, ApplicationStatus.RETURNED, expected_version, AuditAction.REVIEW_RETURNED)
        for key in section_keys:
            if key in cleaned:
                s.add(ReviewComment(application_id=app.id, section_key=key, body=cleaned[key],
                                    author_user_id=actor.user_id, created_at=clock.now()))
        applicant = get_or_raise(s, Applicant, app.applicant_id)
        notices.add_notice(s, applicant.id, NoticeKind.RETURNED, application_id=app.id,
                           params={"ref_no": app.ref_no, "sections": [k for k in section_keys if k in cleaned],
                                   "kind": app.kind})
        mail.enqueue(s, _template(app, "returned"), decision_mail.recipients(s, app, applicant),
                     decision_mail.params(app, applicant),
                     applicant_id=applicant.id)
        u.commit()


def reject(actor: Actor, application_id: int, reason: str, expected_version: int, *,
           uow: UnitOfWork | None = None) -> None:
    require_permission(actor, ReviewAction.REJECT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": FieldError("review.reason_required")})
    if len(reason) > MAX_TEXT:
        raise ValidationFailed({"reason": FieldError("review.too_long", {"max": MAX_TEXT})})
    if has_refused_characters(reason, multiline=True):
        raise ValidationFailed({"reason": FieldError(INVALID_CHARS)})
    with (uow or UnitOfWork()) as u:
        s = u.session
        app = get_or_raise(s, Application, application_id)
        app.decided_at, app.decision_reason = clock.now(), reason
        _move(u, actor, app, ApplicationStatus.REJECTED, expected_version, AuditAction.REVIEW_REJECTED)
        s.add(ReviewComment(application_id=app.id, section_key=None, body=reason,
                            author_user_id=actor.user_id, created_at=clock.now()))
        applicant = get_or_raise(s, Applicant, app.applicant_id)
        notices.add_notice(s, applicant.id, NoticeKind.REJECTED, application_id=app.id,
                           params={"ref_no": app.ref_no, "reason": reason, "kind": app.kind})
        mail.enqueue(s, _template(app, "rejected"), decision_mail.recipients(s, app, applicant),
                     decision_mail.params(app, applicant, reason=reason),
                     applicant_id=applicant.id)
        u.commit()


# ------------------------------------------------------------------ several at once (from the queue)

@dataclass(frozen=True)
class BulkItem:
    application_id: int
    expected_version: int      # the version the queue showed for this row


@dataclass(frozen=True)
class BulkOutcome:
    application_id: int
    error: DomainError | None  # None: done; StaleData: someone changed it since the queue was shown

    @property
    def done(self) -> bool:
        return self.error is None


BULK_ACTIONS = (ReviewAction.CLAIM, ReviewAction.RELEASE)
BULK_MAX = 100  # one page of the queue at most


def bulk_assignment(actor: Actor, action: ReviewAction, items: list[BulkItem], *,
                    uow: UnitOfWork | None = None) -> list[BulkOutcome]:
    """自分が担当する / 担当を外す for several queue rows in one click. Each item is its own unit of
    work checked against its own version: one that changed meanwhile (or is no longer open to the
    action) is reported and the others still go through. Inside a caller's unit of work the items
    share its transaction; a refused item has changed nothing (its version check comes first)."""
    if action not in BULK_ACTIONS:
        raise DomainError("review.bulk_not_offered")
    require_permission(actor, action)
    if len(items) > BULK_MAX:
        raise ValidationFailed({"rows": FieldError("review.bulk_too_many", {"max": BULK_MAX})})
    outcomes = []
    for item in items:
        try:
            with (uow or UnitOfWork()) as u:
                app = get_or_raise(u.session, Application, item.application_id)
                check_version(app, item.expected_version)
                if action not in available_actions(actor, app):
                    raise DomainError("review.bulk_not_offered")
            if action == ReviewAction.CLAIM:
                claim(actor, item.application_id, item.expected_version, uow=uow)
            else:
                release(actor, item.application_id, item.expected_version, uow=uow)
            outcomes.append(BulkOutcome(item.application_id, None))
        except DomainError as err:
            outcomes.append(BulkOutcome(item.application_id, err))
    return outcomes
