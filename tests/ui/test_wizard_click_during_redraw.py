"""A save sent from the screen as the browser showed it before the previous save's redraw (issue 13
item 2). The wizard ends a save's run early (st.rerun) and the browser shows the screen as idle
until the next run has drawn it; on a busy server that took seconds, and a value typed and sent
meanwhile carried the ids of the widgets drawn before the save. Widgets keyed by the new version
dropped it: the click saved the old value and the field went back to it."""
import streamlit as st

from tests.factories import make_applicant, section_row, started
from tests.ui.harness import page

WIZARD = "screens/applicant/application.py"
DEPARTMENT = "申込事務担当者 部署名"


def _widget_id(states, key_end: str) -> int:
    return next(i for i, w in enumerate(states.widgets) if w.id.endswith(key_end))


def test_a_value_typed_before_the_redraw_after_a_save_is_saved(sqlite_db):
    st.cache_resource.clear()
    actor = make_applicant(kana="ヤマダ\u3000タロウ")  # as stored: the first save converts nothing
    app_id = started(actor)
    at = page(WIZARD, actor)
    next(w for w in at.text_input if w.label.startswith(DEPARTMENT)).input("第一部")
    shown_before_save = at._tree.get_widget_states()  # what the browser keeps showing meanwhile
    next(b for b in at.button if b.key == "wiz_save").click().run()
    assert section_row(app_id, "applicant_contact")["data"]["application_clerk_department"] == "第一部"

    # The user types again and clicks 保存 on the screen drawn before the save (the redraw has not come).
    department = _widget_id(shown_before_save, "application_clerk_department")
    shown_before_save.widgets[department].string_value = "第二部"
    save = _widget_id(shown_before_save, "wiz_save")
    shown_before_save.widgets[save].trigger_value = True
    at._run(shown_before_save)
    assert not at.exception
    assert section_row(app_id, "applicant_contact")["data"]["application_clerk_department"] == "第二部"
    assert next(w for w in at.text_input if w.label.startswith(DEPARTMENT)).value == "第二部"


def test_a_save_that_normalised_a_value_still_redraws_it_from_what_is_stored(sqlite_db):
    st.cache_resource.clear()
    actor = make_applicant()
    app_id = started(actor)
    at = page(WIZARD, actor)
    phone = next(w for w in at.text_input if w.label.startswith("管理責任者 電話番号"))
    phone.input("０３－９９９９－８８８８")
    next(b for b in at.button if b.key == "wiz_save").click().run()
    assert section_row(app_id, "applicant_contact")["data"]["admin_manager_phone"] == "03-9999-8888"
    assert next(w for w in at.text_input if w.label.startswith("管理責任者 電話番号")).value == "03-9999-8888"
