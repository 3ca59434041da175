"""申込内容確認's list of an office's 変更申込 and 解約申込: both kinds, newest first, only its own,
the office or staff only."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services import clock
from services.errors import PermissionDenied
from services.later_procedures import later_procedures
from tests.change_helpers import add_industry_and_code, approve
from tests.factories import make_office, submitted_cancellation


def test_lists_the_offices_changes_and_cancellations_newest_first(db):
    office, other = make_office(), make_office()
    change_id = add_industry_and_code(office)
    approve(change_id)
    cancel_id = submitted_cancellation(office, clock.today_jst() + timedelta(days=30), user_code=office.user_codes[0])
    add_industry_and_code(other)
    found = later_procedures(office.actor, office.applicant_id)
    assert [(p.application_id, p.kind, p.status) for p in found] == [
        (cancel_id, "CANCELLATION", "SUBMITTED"), (change_id, "CHANGE", "APPROVED")]
    assert all(p.ref_no and p.submitted_at for p in found)
    with pytest.raises(PermissionDenied):
        later_procedures(other.actor, office.applicant_id)
