"""契約内容確認: the approved contract, its 利用者コード and the ○/× table; who may read it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import UserCode
from services.authz import DESK, REVIEWER
from services.contract import CONTRACT_SECTIONS, contract
from services.errors import PermissionDenied
from services.guidance import GuidanceTask, guidance
from services.system_settings.registrations import NAME_ITEM, record_all, record_approval
from services.uow import UnitOfWork
from services.workflow import ApplicationStatus
from tests.factories import applicant_actor, make_application, make_staff


def _codes(applicant_id: int) -> list[UserCode]:
    with UnitOfWork() as u:
        rows = list(u.session.scalars(select(UserCode).where(UserCode.applicant_id == applicant_id)
                                      .order_by(UserCode.user_code)))
        u.session.expunge_all()
        return rows


def test_contract_of_an_approved_office_lists_codes_ids_and_an_all_cross_table(db):
    app_id, applicant_id = make_application(status=ApplicationStatus.APPROVED, industries=("通関業", "船会社"))
    c = contract(applicant_actor(applicant_id), applicant_id)
    assert c.in_force and c.application_id == app_id and c.office_code
    assert c.company_name == "テスト物流株式会社" and c.connection_type == "NET" and c.start_date
    assert sorted(len(uc.id_numbers) for uc in c.user_codes) == [1, 2]
    for uc in c.user_codes:
        assert all(len(uid) == 8 and uid.startswith(uc.user_code) for uid in uc.user_ids)
    assert c.registrations.columns == (NAME_ITEM, "通関業", "船会社")
    assert all(row.mark(col) == "×" for row in c.registrations.rows for col in c.registrations.columns)
    assert not c.registrations.complete
    keys = [section.key for section in c.sections]
    assert keys[0] == "office" and "billing_address" in keys and "user_code" not in keys
    assert set(keys) <= set(CONTRACT_SECTIONS) and all(section.applies for section in c.sections)


def test_registrations_show_as_circles_and_the_guidance_turns_done_line_by_line(db):
    app_id, applicant_id = make_application(status=ApplicationStatus.APPROVED, industries=("通関業",))
    me = applicant_actor(applicant_id)
    first, second = _codes(applicant_id)
    with UnitOfWork() as u:
        record_approval(u.session, u.session.get(UserCode, first.id), app_id, [NAME_ITEM])
        u.commit()
    c = contract(me, applicant_id)
    assert [[r.mark(col) for col in c.registrations.columns] for r in c.registrations.rows] == [["○", "×"], ["×", "×"]]
    assert [t.done for t in guidance(me, applicant_id).tasks if t.key == GuidanceTask.SYSTEM_SETTINGS_APPLICATION] \
        == [False, False]
    with UnitOfWork() as u:
        record_all(u.session, u.session.get(UserCode, first.id), app_id)
        u.commit()
    g = guidance(me, applicant_id)
    assert [(t.user_code, t.done) for t in g.tasks if t.key == GuidanceTask.SYSTEM_SETTINGS_APPLICATION] \
        == [(first.user_code, True), (second.user_code, False)]
    assert not g.all_done and any(d.key == "system_settings" for d in g.deadlines)
    with UnitOfWork() as u:
        record_all(u.session, u.session.get(UserCode, second.id), app_id)
        u.commit()
    g = guidance(me, applicant_id)
    assert g.all_done and not any(d.key == "system_settings" for d in g.deadlines)
    assert contract(me, applicant_id).registrations.complete


def test_staff_read_any_contract_and_another_office_is_refused(db):
    _app, applicant_id = make_application(status=ApplicationStatus.APPROVED)
    _app2, other_id = make_application(status=ApplicationStatus.APPROVED)
    assert contract(make_staff("desk9", DESK), applicant_id).in_force
    assert contract(make_staff("rev9", REVIEWER), applicant_id).in_force
    with pytest.raises(PermissionDenied):
        contract(applicant_actor(other_id), applicant_id)


def test_before_approval_there_is_no_contract(db):
    _app, applicant_id = make_application(status=ApplicationStatus.SUBMITTED)
    c = contract(applicant_actor(applicant_id), applicant_id)
    assert not c.in_force and c.user_codes == () and not c.registrations.complete and c.sections == ()
