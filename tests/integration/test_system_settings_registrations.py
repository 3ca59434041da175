"""契約内容確認's ○/× table: items per 利用者コード, ○ only after an approved システム設定申込."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from db.models import Application, UserCode
from services.system_settings.registrations import NAME_ITEM, record_approval, table_for
from services.uow import UnitOfWork
from services.workflow import ApplicationStatus
from tests.factories import make_applicant, raw_application


def _office_with_codes(*industry_lists: list[str]) -> tuple[int, int, list[int]]:
    actor = make_applicant(None, "reg@example.jp")
    app_id = raw_application(actor.applicant_id, status=ApplicationStatus.APPROVED, start_date=date(2027, 2, 1))
    ids = []
    with UnitOfWork() as u:
        from services import clock
        for n, industries in enumerate(industry_lists):
            uc = UserCode(applicant_id=actor.applicant_id, application_id=app_id, user_code=f"9{n:04d}",
                          system_category="海上", industries=industries, id_numbers=["A2A"], created_at=clock.now())
            u.session.add(uc)
            u.session.flush()
            ids.append(uc.id)
        u.commit()
    return actor.applicant_id, app_id, ids


def test_table_has_name_and_each_industry_blank_where_it_does_not_apply(db):
    applicant_id, _app, _ids = _office_with_codes(["通関業"], ["船会社", "通関業"])
    with UnitOfWork() as u:
        table = table_for(u.session, applicant_id)
    assert table.columns == (NAME_ITEM, "通関業", "船会社")
    first, second = table.rows
    assert [first.mark(c) for c in table.columns] == ["×", "×", ""]
    assert [second.mark(c) for c in table.columns] == ["×", "×", "×"]
    assert not table.complete


def test_approval_marks_items_and_completes_only_when_no_cross_is_left(db):
    applicant_id, app_id, (code_id, other_id) = _office_with_codes(["通関業", "船会社"], ["通関業"])
    with UnitOfWork() as u:
        uc = u.session.get(UserCode, code_id)
        assert record_approval(u.session, uc, app_id, [NAME_ITEM, "通関業", "航空会社"]) == [NAME_ITEM, "通関業"]
        assert uc.settings_completed_at is None           # 船会社 is still ×
        assert record_approval(u.session, uc, app_id, ["船会社", NAME_ITEM]) == ["船会社"]
        assert uc.settings_completed_at is not None
        u.commit()
    with UnitOfWork() as u:
        table = table_for(u.session, applicant_id)
        assert [r.complete for r in table.rows] == [True, False]
        assert not table.complete
        other = u.session.get(UserCode, other_id)
        record_approval(u.session, other, app_id, [NAME_ITEM, "通関業"])
        u.commit()
    with UnitOfWork() as u:
        assert table_for(u.session, applicant_id).complete
        assert u.session.scalar(select(Application.user_code_id).where(Application.id == app_id)) is None


def test_an_office_without_user_codes_is_not_complete(db):
    actor = make_applicant(None, "none@example.jp")
    with UnitOfWork() as u:
        table = table_for(u.session, actor.applicant_id)
    assert table.rows == () and not table.complete
