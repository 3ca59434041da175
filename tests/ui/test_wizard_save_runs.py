"""A wizard 「保存」 costs one script run when the screen drawn in that run is what was stored (issue 9
item 2): the message and the side list come in the same run, with no st.rerun. A save that changed
what the screen must show (a normalised value, new field errors) still redraws it."""
import pytest
import streamlit as st
from streamlit.runtime.scriptrunner import script_runner

from db.models import Application, ReviewComment
from services import clock
from services.application.read import application_view
from services.application.submit import submit_application
from services.authz import REVIEWER
from services.uow import UnitOfWork
from tests.factories import fill_all, make_applicant, make_staff, section_row, started
from tests.ui.harness import page

WIZARD = "screens/applicant/application.py"
DEPARTMENT = "申込事務担当者 部署名"
PHONE = "管理責任者 電話番号"


@pytest.fixture()
def script_runs(monkeypatch):
    """How many times the script ran (an st.rerun is one more pass) since the last reset."""
    runs = [0]
    original = script_runner.exec_func_with_error_handling

    def counted(func, ctx):
        runs[0] += 1
        return original(func, ctx)
    monkeypatch.setattr(script_runner, "exec_func_with_error_handling", counted)
    return runs


def _save(at, department: str):
    next(w for w in at.text_input if w.label.startswith(DEPARTMENT)).input(department)
    next(b for b in at.button if b.key == "wiz_save").click().run()
    assert not at.exception
    return at


def _saved_message(at) -> bool:
    return any(str(m.value).startswith("保存しました") for m in at.success)


def test_a_save_of_a_partly_filled_screen_is_one_run_with_its_message(sqlite_db, script_runs):
    st.cache_resource.clear()
    actor = make_applicant(kana="ヤマダ\u3000タロウ")  # as stored: saving converts nothing
    app_id = started(actor)
    at = _save(page(WIZARD, actor), "第一部")  # the first save brings the missing fields' errors: redrawn
    errors_shown = sorted(e.value for e in at.error)
    assert errors_shown and _saved_message(at)

    script_runs[0] = 0
    _save(at, "第二部")
    assert script_runs[0] == 1
    assert _saved_message(at)
    assert sorted(e.value for e in at.error) == errors_shown  # the same errors, still next to their fields
    assert section_row(app_id, "applicant_contact")["data"]["application_clerk_department"] == "第二部"
    assert next(w for w in at.text_input if w.label.startswith(DEPARTMENT)).value == "第二部"

    script_runs[0] = 0
    _save(at, "第三部")  # the widgets kept their keys: the next save goes through as well
    assert script_runs[0] == 1 and _saved_message(at)
    assert section_row(app_id, "applicant_contact")["data"]["application_clerk_department"] == "第三部"


def test_a_one_run_save_draws_the_side_list_from_what_was_saved(sqlite_db, script_runs):
    """A returned screen saved again turns 要修正 into 修正済 in the same run."""
    st.cache_resource.clear()
    actor = make_applicant(kana="ヤマダ\u3000タロウ")
    app_id = started(actor)
    fill_all(actor, app_id, "NET")
    submit_application(actor, app_id, application_view(actor, app_id).version)
    reviewer = make_staff("rev1", REVIEWER)
    with UnitOfWork() as u:
        u.session.get(Application, app_id).status = "RETURNED"
        u.session.add(ReviewComment(application_id=app_id, section_key="applicant_contact", body="部署名を確認",
                                    author_user_id=reviewer.user_id, created_at=clock.now()))
        u.commit()
    at = page(WIZARD, actor, wiz_current="applicant_contact")
    assert "要修正" in "\n".join(m.value for m in at.markdown)
    script_runs[0] = 0
    _save(at, "第二部")
    assert script_runs[0] == 1 and _saved_message(at)
    side = "\n".join(m.value for m in at.markdown)
    assert "修正済" in side and "要修正" not in side


def test_a_save_that_normalised_a_value_redraws_the_screen(sqlite_db, script_runs):
    st.cache_resource.clear()
    actor = make_applicant(kana="ヤマダ\u3000タロウ")
    app_id = started(actor)
    at = page(WIZARD, actor)
    next(w for w in at.text_input if w.label.startswith(PHONE)).input("03-1111-2222")
    at = _save(at, "第一部")
    script_runs[0] = 0
    next(w for w in at.text_input if w.label.startswith(PHONE)).input("０３－９９９９－８８８８")
    _save(at, "第一部")  # the same field errors as before; the phone is stored half-width
    assert script_runs[0] == 2 and _saved_message(at)
    assert section_row(app_id, "applicant_contact")["data"]["admin_manager_phone"] == "03-9999-8888"
    assert next(w for w in at.text_input if w.label.startswith(PHONE)).value == "03-9999-8888"
