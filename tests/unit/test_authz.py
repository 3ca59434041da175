import pytest

from services.authz import (
    ADMIN, APPLICANT, DESK, REVIEWER, Actor, can_act_for_applicant, can_edit_for_applicant, on_behalf_of,
    require_applicant_access, require_role,
)
from services.errors import PermissionDenied


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
