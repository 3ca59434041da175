"""The application state machine: the one table of allowed transitions (SPEC §2.2 flow bar).

入力中 DRAFT → 申込受付 SUBMITTED → 審査中 IN_REVIEW → 確認完了 APPROVED / 差戻し RETURNED / 却下 REJECTED;
a returned application is corrected and submitted again. Use-case functions (submit, approve, ...)
live with their features and call `transition`, which refuses anything not in the table.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from sqlalchemy.orm import Session

from db.models import Application
from services import audit, clock
from services.audit import AuditAction
from services.authz import Actor, ReviewAction, may_perform
from services.errors import DomainError, StaleData


class ApplicationStatus(StrEnum):
    """Stored as its value; a StrEnum compares equal to that string, so rows read back need no cast."""
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    IN_REVIEW = "IN_REVIEW"
    APPROVED = "APPROVED"
    RETURNED = "RETURNED"
    REJECTED = "REJECTED"


class ApplicationKind(StrEnum):
    """申込種別 (CANCELLATION comes with its own issue)."""
    NEW_USAGE = "NEW_USAGE"
    SYSTEM_SETTINGS = "SYSTEM_SETTINGS"
    CHANGE = "CHANGE"
    CANCELLATION = "CANCELLATION"


OPEN_FOR_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)        # the reviewers' queue
EDITABLE_BY_APPLICANT = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
FINAL = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)

# Keyed by status members, looked up with the stored column value (a member is its str value).
TRANSITIONS: dict[str, frozenset[ApplicationStatus]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED}),
    ApplicationStatus.SUBMITTED: frozenset({ApplicationStatus.IN_REVIEW, ApplicationStatus.APPROVED, ApplicationStatus.RETURNED, ApplicationStatus.REJECTED}),
    ApplicationStatus.IN_REVIEW: frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED, ApplicationStatus.RETURNED, ApplicationStatus.REJECTED}),  # → ApplicationStatus.SUBMITTED: released to the queue
    ApplicationStatus.RETURNED: frozenset({ApplicationStatus.SUBMITTED}),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.REJECTED: frozenset(),
}

# The flow bar's steps, in order, with the status each step stands for.
FLOW_STEPS = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.APPROVED)


# The status each review action leads to. Claiming or assigning an application already in review
# only changes its assignee.
REVIEW_ACTION_TARGETS: dict[ReviewAction, ApplicationStatus] = {
    ReviewAction.CLAIM: ApplicationStatus.IN_REVIEW,
    ReviewAction.ASSIGN: ApplicationStatus.IN_REVIEW,
    ReviewAction.RELEASE: ApplicationStatus.SUBMITTED,
    ReviewAction.APPROVE: ApplicationStatus.APPROVED,
    ReviewAction.RETURN: ApplicationStatus.RETURNED,
    ReviewAction.REJECT: ApplicationStatus.REJECTED,
}
REASSIGNING = frozenset({ReviewAction.CLAIM, ReviewAction.ASSIGN})


class ReviewedApplication(Protocol):
    status: str
    assignee_id: int | None


def available_actions(actor: Actor, application: ReviewedApplication) -> tuple[ReviewAction, ...]:
    """The review actions to offer on this application, in display order: the actor's permissions
    (services.authz.REVIEW_ACTION_ROLES) and the transition table decide. Only applications in the
    reviewers' queue are acted on (a returned one waits for the applicant); claiming is not offered
    to the reviewer who already holds it."""
    current = application.status
    if current not in OPEN_FOR_REVIEW:
        return ()

    def reachable(action: ReviewAction) -> bool:
        target = REVIEW_ACTION_TARGETS[action]
        return target in TRANSITIONS[current] or (action in REASSIGNING and target == current)

    return tuple(action for action in ReviewAction
                 if may_perform(actor, action) and reachable(action)
                 and not (action == ReviewAction.CLAIM and application.assignee_id == actor.user_id))


class InvalidTransition(DomainError):
    def __init__(self, current: str, target: str) -> None:
        super().__init__("workflow.invalid_transition", current=current, target=target)


def check_version(application: Application, expected_version: int | None) -> None:
    """Optimistic locking: refuse to act on an application that changed since it was shown."""
    if expected_version is not None and application.version != expected_version:
        raise StaleData()


def transition(s: Session, actor: Actor, application: Application, target: ApplicationStatus, *,
               action: AuditAction, expected_version: int | None = None) -> None:
    check_version(application, expected_version)
    current = application.status
    if target not in TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(current, target)
    application.status = target
    application.updated_at = clock.now()
    audit.record(s, actor, action, target_type="application",
                 target_id=application.id, applicant_id=application.applicant_id,
                 before={"status": current}, after={"status": target})
