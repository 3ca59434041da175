from dataclasses import dataclass

import pytest

from services.authz import (
    ADMIN,
    APPLICANT,
    DESK,
    REVIEW_ACTION_ROLES,
    REVIEWER,
    Actor,
    ReviewAction,
    can_act_for_applicant,
    can_edit_for_applicant,
    may_perform,
    may_review,
    on_behalf_of,
    require_applicant_access,
    require_permission,
    require_role,
)
from services.errors import PermissionDenied
from services.workflow import REVIEW_ACTION_TARGETS, TRANSITIONS, ApplicationStatus, available_actions


def actor(*roles, applicant_id=None, kind="STAFF"):
    return Actor(user_id=1, login_id="u", display_name="u", kind=kind, roles=frozenset(roles),
                 applicant_id=applicant_id)


def test_applicant_reaches_only_its_own_record():
    me = actor(APPLICANT, applicant_id=7, kind="TEMP")
    assert can_act_for_applicant(me, 7)
    assert not can_act_for_applicant(me, 8)
    with pytest.raises(PermissionDenied):
        require_applicant_access(me, 8)


def test_staff_reach_any_applicant_but_only_desk_enters_data():
    assert can_act_for_applicant(actor(REVIEWER), 8)
    assert not can_edit_for_applicant(actor(REVIEWER), 8)
    assert can_edit_for_applicant(actor(DESK), 8)
    assert not can_act_for_applicant(None, 8)


def test_roles_are_checked():
    with pytest.raises(PermissionDenied):
        require_role(actor(DESK), REVIEWER)
    assert require_role(actor(DESK, REVIEWER), REVIEWER)
    with pytest.raises(PermissionDenied):
        require_role(None, ADMIN)


def test_staff_actions_are_attributed_to_the_applicant():
    assert on_behalf_of(actor(DESK), 9) == 9
    assert on_behalf_of(actor(APPLICANT, applicant_id=9, kind="TEMP"), 9) is None


# ---------------------------------------------------------------- review actions: who, and on what

@dataclass
class Shown:
    """What available_actions reads of an application (the detail page passes its ApplicationDetail)."""
    status: str
    assignee_id: int | None = None


ME = 1  # actor()'s user id
DECISIONS = (ReviewAction.APPROVE, ReviewAction.RETURN, ReviewAction.REJECT)


def test_only_reviewers_may_take_review_actions():
    for action in ReviewAction:
        assert may_perform(actor(REVIEWER), action)
        assert may_perform(actor(DESK, REVIEWER), action)
        for other in (actor(ADMIN), actor(DESK), actor(APPLICANT, applicant_id=7, kind="TEMP"), None):
            assert not may_perform(other, action)
            with pytest.raises(PermissionDenied):
                require_permission(other, action)
    assert set(REVIEW_ACTION_ROLES) == set(ReviewAction)
    assert may_review(actor(REVIEWER)) and not may_review(actor(ADMIN)) and not may_review(None)


def test_a_submitted_application_can_be_claimed_assigned_or_decided_but_not_released():
    offered = available_actions(actor(REVIEWER), Shown(ApplicationStatus.SUBMITTED))
    assert offered == (ReviewAction.CLAIM, ReviewAction.ASSIGN, *DECISIONS)


def test_an_application_in_review_can_also_be_released_and_claimed_from_someone_else():
    offered = available_actions(actor(REVIEWER), Shown(ApplicationStatus.IN_REVIEW, assignee_id=2))
    assert offered == (ReviewAction.CLAIM, ReviewAction.ASSIGN, ReviewAction.RELEASE, *DECISIONS)


def test_the_assignee_is_not_offered_to_claim_it_again():
    offered = available_actions(actor(REVIEWER), Shown(ApplicationStatus.IN_REVIEW, assignee_id=ME))
    assert ReviewAction.CLAIM not in offered
    assert offered == (ReviewAction.ASSIGN, ReviewAction.RELEASE, *DECISIONS)


@pytest.mark.parametrize("status", [ApplicationStatus.DRAFT, ApplicationStatus.RETURNED,
                                    ApplicationStatus.APPROVED, ApplicationStatus.REJECTED])
def test_nothing_is_offered_outside_the_queue(status):
    # RETURNED may go back to SUBMITTED in the table, but that is the applicant's resubmission, not a release.
    assert available_actions(actor(REVIEWER), Shown(status)) == ()


def test_nothing_is_offered_to_those_without_the_permission():
    for who in (actor(ADMIN), actor(DESK)):
        for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW):
            assert available_actions(who, Shown(status)) == ()


def test_every_offered_action_leads_to_an_allowed_transition():
    for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW):
        for action in available_actions(actor(REVIEWER), Shown(status, assignee_id=2)):
            target = REVIEW_ACTION_TARGETS[action]
            assert target in TRANSITIONS[status] or target == status
