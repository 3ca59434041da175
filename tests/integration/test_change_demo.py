"""The demo offices with 変更申込: one-click logins, an approved change in one's contract history,
one waiting in the review queue."""

from services.change.start import open_change
from services.contract import contract_history
from services.demo import seeding as demo
from services.demo.changes import CHANGED_ID, WAITING_ID
from services.guidance import GuidanceTask, guidance
from services.review.detail import application_detail
from services.workflow import ApplicationKind, ApplicationStatus
from tests.factories import make_staff


def test_an_approved_change_in_the_history_and_one_waiting(demo_on):
    assert {CHANGED_ID, WAITING_ID} <= {login for _label, login in demo.DEMO_BUTTONS}
    changed = demo.demo_login(CHANGED_ID)
    history = contract_history(changed, changed.applicant_id)
    assert [v.kind for v in history.versions] == [ApplicationKind.NEW_USAGE, ApplicationKind.CHANGE]
    assert len(history.versions[1].user_codes()) == len(history.versions[0].user_codes()) + 1
    assert open_change(changed, changed.applicant_id) is None
    lines = [t for t in guidance(changed, changed.applicant_id).tasks
             if t.key == GuidanceTask.SYSTEM_SETTINGS_APPLICATION]
    assert history.versions[1].user_codes()[-1] in [t.user_code for t in lines]
    waiting = demo.demo_login(WAITING_ID)
    open_one = open_change(waiting, waiting.applicant_id)
    assert open_one is not None and open_one.status == ApplicationStatus.SUBMITTED
    detail = application_detail(make_staff("chg-demo-rev", "reviewer"), open_one.application_id)
    assert detail.kind == ApplicationKind.CHANGE
