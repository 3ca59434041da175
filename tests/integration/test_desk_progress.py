"""The desk's 「入力中 n/m 画面」 counts the wizard's 詳細入力画面 that apply to the chosen 接続形態 and
処理方式, with the wizard's own 入力状況, in one query for the whole result page."""
import pytest
from sqlalchemy import event

from db.engine import get_engine
from services.application.read import application_view
from services.application.sections import REVIEW_SCREEN
from services.authz import DESK
from services.desk.callers import get_caller
from services.desk.search import find_callers
from tests.factories import fill_all, make_applicant, make_caller, make_staff, raw_progress, started


@pytest.fixture
def desk(db):
    return make_staff("desk1", DESK)


def _wizard_count(actor, app_id) -> tuple[int, int]:
    screens = [s for s in application_view(actor, app_id).applicable() if s.key != REVIEW_SCREEN]
    return sum(s.status == "COMPLETE" for s in screens), len(screens)


@pytest.mark.parametrize("connection_type", ["NET", "GENERAL"])
def test_a_finished_draft_counts_every_applicable_screen_done(desk, connection_type):
    owner = make_applicant()
    app_id = started(owner)
    fill_all(owner, app_id, connection_type)
    step = get_caller(desk, owner.applicant_id).next_step
    assert step.code == "drafting"
    assert (step.params["done"], step.params["total"]) == _wizard_count(owner, app_id)
    assert step.params["done"] == step.params["total"]
    # netNACCS has no 回線設置 screen; the general connection with mail methods has all nine.
    assert step.params["total"] == (9 if connection_type == "GENERAL" else 7)


def test_a_just_started_draft_matches_the_wizards_list(desk):
    owner = make_applicant()
    app_id = started(owner)
    step = get_caller(desk, owner.applicant_id).next_step
    assert (step.params["done"], step.params["total"]) == _wizard_count(owner, app_id)
    assert step.params["done"] < step.params["total"]


def test_the_general_connection_adds_the_line_installation_screen(desk):
    net = make_caller(name="ネット")
    raw_progress(net, complete_screens=3, connection_type="NET")
    general = make_caller(name="一般")
    raw_progress(general, complete_screens=3, connection_type="GENERAL")
    steps = {h.contact_name: h.next_step.params for h in find_callers(desk, "03-1234").hits}
    assert steps["ネット"] == {"done": 3, "total": 7}
    assert steps["一般"] == {"done": 3, "total": 8}


def test_the_result_page_costs_the_same_queries_for_one_draft_or_many(desk):
    def statements(text):
        seen = []
        # (conn, cursor, statement, ...); the reference data's per-process copy is read or checked
        # when its second has passed, whatever the search, so its statements are not counted
        listener = lambda *args: "reference_" not in args[2] and seen.append(args[2])  # noqa: E731
        event.listen(get_engine(), "before_cursor_execute", listener)
        try:
            find_callers(desk, text)
        finally:
            event.remove(get_engine(), "before_cursor_execute", listener)
        return len(seen)

    one = make_caller(name="一人", phone="06-1111-0000")
    raw_progress(one, complete_screens=2)
    for i in range(6):
        raw_progress(make_caller(name=f"多数{i}", phone=f"06-2222-000{i}"), complete_screens=i,
                         connection_type="GENERAL")
    assert statements("06-1111") == statements("06-2222")
