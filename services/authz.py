"""The one place that decides who may do what. Every service calls it; hiding a page is not enough."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.errors import PermissionDenied


class UserKind(StrEnum):
    STAFF = "STAFF"      # 職員: logs in with a staff ID, holds roles
    TEMP = "TEMP"        # 仮ログイン ID of an applicant
    OFFICE = "OFFICE"    # 事業所コード, issued on approval


APPLICANT, DESK, REVIEWER, ADMIN = "applicant", "desk", "reviewer", "admin"
ROLES = (APPLICANT, DESK, REVIEWER, ADMIN)
STAFF_ROLES = frozenset({DESK, REVIEWER, ADMIN})


@dataclass(frozen=True)
class Actor:
    user_id: int
    login_id: str
    display_name: str
    kind: UserKind
    roles: frozenset[str]
    applicant_id: int | None = None  # set for applicant users (TEMP / OFFICE)
    must_change_password: bool = False

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


class ReviewAction(StrEnum):
    """What a reviewer does with an application in the queue (SPEC §3.1)."""
    CLAIM = "claim"        # take it: 審査中, assigned to me
    ASSIGN = "assign"      # give it to another reviewer
    RELEASE = "release"    # back to the queue, unassigned
    APPROVE = "approve"    # 承認
    RETURN = "return"      # 差戻し
    REJECT = "reject"      # 却下


# Which roles may take each review action. Admins read the queue and every detail, but only
# reviewers decide.
REVIEW_ACTION_ROLES: dict[ReviewAction, frozenset[str]] = {
    ReviewAction.CLAIM: frozenset({REVIEWER}),
    ReviewAction.ASSIGN: frozenset({REVIEWER}),
    ReviewAction.RELEASE: frozenset({REVIEWER}),
    ReviewAction.APPROVE: frozenset({REVIEWER}),
    ReviewAction.RETURN: frozenset({REVIEWER}),
    ReviewAction.REJECT: frozenset({REVIEWER}),
}


def may_perform(actor: Actor | None, action: ReviewAction) -> bool:
    return usable(actor) and actor is not None and actor.has(*REVIEW_ACTION_ROLES[action])


def may_review(actor: Actor | None) -> bool:
    """Whether the actor may take any review action at all."""
    return any(may_perform(actor, action) for action in ReviewAction)


def require_permission(actor: Actor | None, action: ReviewAction) -> Actor:
    require_usable(actor)
    if actor is None or not may_perform(actor, action):
        raise PermissionDenied()
    return actor


def require_role(actor: Actor | None, *roles: str) -> Actor:
    require_usable(actor)
    if actor is None or not actor.has(*roles):
        raise PermissionDenied()
    return actor


def can_act_for_applicant(actor: Actor | None, applicant_id: int) -> bool:
    """Applicants only for themselves; desk, reviewers and admins for anyone."""
    if actor is None or not usable(actor):
        return False
    if actor.has(DESK, REVIEWER, ADMIN):
        return True
    return actor.has(APPLICANT) and actor.applicant_id == applicant_id


def require_applicant_access(actor: Actor | None, applicant_id: int) -> Actor:
    require_usable(actor)
    if actor is None or not can_act_for_applicant(actor, applicant_id):
        raise PermissionDenied()
    return actor


def can_edit_for_applicant(actor: Actor | None, applicant_id: int) -> bool:
    """Entering data: the applicant itself, or the support desk on the phone (not reviewers)."""
    if actor is None or not usable(actor):
        return False
    if actor.has(DESK):
        return True
    return actor.has(APPLICANT) and actor.applicant_id == applicant_id


def require_edit_access(actor: Actor | None, applicant_id: int) -> Actor:
    require_usable(actor)
    if actor is None or not can_edit_for_applicant(actor, applicant_id):
        raise PermissionDenied()
    return actor


def can_apply_as_office(actor: Actor | None, applicant_id: int) -> bool:
    """Procedures after approval (システム設定申込, SPEC §2.4): the office logged in with its
    事業所コード, never a 仮ログイン ID; or the support desk entering for it on the phone."""
    if not can_edit_for_applicant(actor, applicant_id) or actor is None:
        return False
    if actor.has(DESK) and actor.kind == UserKind.STAFF:
        return True
    return actor.kind == UserKind.OFFICE


def require_office(actor: Actor | None, applicant_id: int) -> Actor:
    require_usable(actor)
    if actor is None or not can_apply_as_office(actor, applicant_id):
        raise PermissionDenied("system_settings.error.office_only")
    return actor


def on_behalf_of(actor: Actor, applicant_id: int | None) -> int | None:
    """The applicant a staff member is acting for, for the audit trail (None when self-service)."""
    if applicant_id is not None and actor.is_staff and actor.applicant_id != applicant_id:
        return applicant_id
    return None


def can_read_secret(actor: Actor | None, applicant_id: int) -> bool:
    """A password issued to an applicant (the ID notice's 事業所パスワード): only the applicant, logged
    in as themselves. Staff, a desk user entering for them included, see it masked."""
    return (actor is not None and usable(actor) and actor.has(APPLICANT) and not actor.is_staff
            and actor.applicant_id == applicant_id)


PASSWORD_CHANGE_REQUIRED = "error.password_change_required"


def usable(actor: Actor | None) -> bool:
    """A session logged in with a temporary or issued password may only change it (SPEC §6), and
    log out: every other check here refuses it, whatever the menu shows."""
    return actor is None or not actor.must_change_password


def require_usable(actor: Actor | None) -> None:
    if not usable(actor):
        raise PermissionDenied(PASSWORD_CHANGE_REQUIRED)


# 掲示板 (services/bulletin_board.py): everyone logged in reads it; administrators keep it.
BOARD_ADMIN_ROLES = frozenset({ADMIN})


def require_board_reader(actor: Actor | None) -> Actor:
    require_usable(actor)
    if actor is None:
        raise PermissionDenied()
    return actor


def may_manage_board(actor: Actor | None) -> bool:
    return actor is not None and usable(actor) and actor.has(*BOARD_ADMIN_ROLES)


def require_board_admin(actor: Actor | None) -> Actor:
    require_usable(actor)
    if actor is None or not may_manage_board(actor):
        raise PermissionDenied()
    return actor
