"""services.user_ids: the 8-character 利用者ID of an applicant, per application, access checked."""
import pytest

from services.authz import DESK, REVIEWER
from services.errors import PermissionDenied
from services.user_ids import user_ids
from services.workflow import ApplicationStatus
from tests.factories import applicant_actor, make_application, make_staff


def test_user_ids_after_approval_only_and_per_application(db):
    desk = make_staff("desk1", DESK)
    app_id, applicant_id = make_application(status=ApplicationStatus.APPROVED)
    ids = user_ids(desk, applicant_id)
    assert ids and all(len(i) == 8 for i in ids)
    assert user_ids(make_staff("rev1", REVIEWER), applicant_id, app_id) == ids
    assert user_ids(applicant_actor(applicant_id), applicant_id) == ids
    assert user_ids(desk, applicant_id, app_id + 1000) == []
    _, waiting = make_application()
    assert user_ids(desk, waiting) == []


def test_another_applicant_may_not_read_them(db):
    _, applicant_id = make_application(status=ApplicationStatus.APPROVED)
    _, other = make_application()
    with pytest.raises(PermissionDenied):
        user_ids(applicant_actor(other), applicant_id)
