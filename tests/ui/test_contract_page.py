"""契約内容確認 as the office and the desk see it: the contract, the ○/× table, × as links."""
from __future__ import annotations

from sqlalchemy import select

from db.models import UserCode
from services.authz import DESK
from services.system_settings.registrations import NAME_ITEM, record_all, record_approval
from services.uow import UnitOfWork
from services.workflow import ApplicationStatus
from tests.factories import applicant_actor, make_application, make_staff
from tests.ui.harness import page, texts
from ui.target import ACTING_FOR_KEY

PAGE = "screens/applicant/contract.py"


def _codes(applicant_id: int) -> list[int]:
    with UnitOfWork() as u:
        return list(u.session.scalars(select(UserCode.id).where(UserCode.applicant_id == applicant_id)
                                      .order_by(UserCode.user_code)))


def _tables(at) -> str:
    return "\n".join(t.value.to_string() for t in at.table)


def _marks(at) -> list[str]:
    return [m.value for m in at.markdown if m.value in (":green[**○**]",)]


def test_office_sees_its_contract_and_crosses_until_registered(sqlite_db):
    app_id, applicant_id = make_application(status=ApplicationStatus.APPROVED, industries=("通関業", "船会社"))
    first, _second = _codes(applicant_id)
    with UnitOfWork() as u:
        record_approval(u.session, u.session.get(UserCode, first), app_id, [NAME_ITEM, "通関業"])
        u.commit()
    at = page(PAGE, applicant_actor(applicant_id))
    text = texts(at)
    assert not at.exception
    assert "このページの情報は登録済みの情報です。" in text and "テスト物流株式会社" in _tables(at)
    assert "システム設定申込実施状況" in text and "名称" in text and "船会社" in text
    assert len(_marks(at)) == 2                       # 名称 and 通関業 of the first code
    # × cells: 船会社 of the first, all three of the second. The system-settings page is not registered
    # when this page runs alone, so each × shows as a disabled button labelled ×.
    assert len([b for b in at.button if b.label == "×"]) == 4
    assert "システム設定の登録は完了です" not in text
    assert "事業所・企業" in text or "請求先" in text


def test_no_cross_left_says_registration_is_complete(sqlite_db):
    app_id, applicant_id = make_application(status=ApplicationStatus.APPROVED)
    with UnitOfWork() as u:
        for code_id in _codes(applicant_id):
            record_all(u.session, u.session.get(UserCode, code_id), app_id)
        u.commit()
    at = page(PAGE, applicant_actor(applicant_id))
    assert "システム設定の登録は完了です" in texts(at)
    assert not [b for b in at.button if b.label == "×"]


def test_desk_sees_the_callers_contract_and_before_approval_there_is_none(sqlite_db):
    _app, applicant_id = make_application(status=ApplicationStatus.APPROVED)
    desk = make_staff("desk7", DESK)
    assert "テスト物流株式会社" in _tables(page(PAGE, desk, **{ACTING_FOR_KEY: applicant_id}))
    _app2, pending = make_application(status=ApplicationStatus.SUBMITTED)
    assert "契約内容はまだありません" in texts(page(PAGE, applicant_actor(pending)))
