"""利用開始までのガイダンス page: the count, 未済/済, deadlines, and the everything-done message."""
from __future__ import annotations

from datetime import date

from db.models import UserCode
from services import clock
from services.authz import DESK
from services.system_settings.registrations import record_all
from services.uow import UnitOfWork
from tests.factories import first_login, issue, make_staff, raw_application
from tests.ui.harness import page, texts

PAGE = "screens/applicant/guidance.py"


def _applicant():
    result, password = issue()
    return first_login(result.temp_login_id, password)  # the 仮パスワード changed, as at first login


def test_fresh_temp_account(sqlite_db):
    at = page(PAGE, _applicant())
    assert not at.exception
    text = texts(at)
    assert "3 件中 1 件完了" in text
    badges = [m.value for m in at.markdown if "badge[" in m.value]
    assert badges == [":green-badge[済]", ":orange-badge[未済]", ":orange-badge[未済]"]
    assert "仮ログイン ID の有効期限" in text and "あと" in text
    assert "NACCS を利用できます" not in text
    # The wizard page is not registered when this page runs alone: its button is shown disabled.
    assert any(b.label == "手続き" and b.disabled for b in at.button)


def test_all_done_says_naccs_can_be_used(sqlite_db):
    me = _applicant()
    app_id = raw_application(me.applicant_id, status="APPROVED", start_date=date(2026, 12, 7),
                               connection_type="NET")
    with UnitOfWork() as u:
        s = u.session
        uc = UserCode(applicant_id=me.applicant_id, application_id=app_id, user_code="ABCDE",
                      system_category="SEA", industries=["通関業"], id_numbers=["A2A"], created_at=clock.now())
        s.add(uc)
        s.flush()
        record_all(s, uc, app_id)
        u.commit()
    text = texts(page(PAGE, me))
    assert "3 件中 3 件完了" in text and "NACCS を利用できます" in text
    assert "利用者コード ABCDE" in text and "2027/02/07" in text


def test_staff_without_a_chosen_caller_get_a_hint(sqlite_db):
    at = page(PAGE, make_staff("desk1", DESK))
    assert not at.exception and "申込者が選ばれていません" in texts(at)


def test_english(sqlite_db):
    at = page(PAGE, _applicant(), nss_lang="en")
    assert "1 of 3 completed" in texts(at)


def test_every_guidance_task_page_exists_and_is_registered():
    from pathlib import Path

    from ui.nav import GUIDANCE_TASK_PAGES, PAGES
    root = Path(__file__).resolve().parents[2]
    for task, path in GUIDANCE_TASK_PAGES.items():
        assert (root / path).exists(), (task, path)
        assert any(p.path == path for p in PAGES), (task, path)


def test_a_change_under_review_then_approved_for_a_later_month_has_its_line(sqlite_db):
    from db.models import Application
    from services.change.parts import parse_month
    from tests.change_helpers import add_industry_and_code, approve, first_month
    from tests.factories import make_office
    office = make_office()
    app_id = add_industry_and_code(office)
    with UnitOfWork() as u:
        ref_no = u.session.get(Application, app_id).ref_no
    assert f"変更申込（受付番号 {ref_no}）は審査中です。" in texts(page(PAGE, office.actor))
    approve(app_id)
    text = texts(page(PAGE, office.actor))
    month = parse_month(first_month()).strftime("%Y/%m")
    assert f"変更申込（受付番号 {ref_no}）は承認されました。{month} から適用されます。" in text and "審査中" not in text
