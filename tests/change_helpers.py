"""変更申込 for tests: start, edit the chosen screens through the use cases, submit, approve."""
from __future__ import annotations

from typing import Any

from services import clock
from services.application.attachments import add_attachment
from services.application.read import application_view
from services.application.save import save_section
from services.application.submit import submit_application
from services.authz import REVIEWER, Actor
from services.change.parts import month_choices
from services.change.start import start_change
from services.review import actions
from tests.factories import TEST_PDF, Office, make_staff, version_of


def first_month() -> str:
    return month_choices(clock.today_jst())[0]


def code_rows(actor: Actor, app_id: int) -> list[dict[str, Any]]:
    return [dict(r) for r in application_view(actor, app_id).data_of("user_code")["user_codes"]]


def save(actor: Actor, app_id: int, key: str, data: dict[str, Any]):
    return save_section(actor, app_id, key, data, application_view(actor, app_id).section(key).version)


def add_industry_and_code(office: Office, industry: str = "海貨業", month: str | None = None) -> int:
    """A submitted 変更申込: the first 利用者コード gains `industry`, and one new 利用者コード (航空, 通関業)."""
    app_id = start_change(office.actor, office.applicant_id, ["user_codes"], month or first_month())
    rows = code_rows(office.actor, app_id)
    rows[0]["industries"] = [*rows[0]["industries"], industry]
    rows.append({"system_category": "航空", "industries": ["通関業"], "id_number_count": 1,
                 "management_reports": False, "bonded_storage_service": False})
    result = save(office.actor, app_id, "user_code", {"user_codes": rows})
    assert not result.errors, result.errors
    submit_application(office.actor, app_id, version_of(app_id))
    return app_id


_reviewers = iter(range(1, 10_000))


def approve(app_id: int, reviewer: Actor | None = None):
    reviewer = reviewer or make_staff(f"chg-rev{next(_reviewers)}", REVIEWER)
    actions.claim(reviewer, app_id, version_of(app_id))
    return actions.approve(reviewer, app_id, None, version_of(app_id))


LINE_WORK = {"site_postal_code": "105-0023", "site_address": "東京都港区芝浦1-2-3", "desired_completion_date": "2027-04-01",
             "site_contact_name": "高橋 次郎", "site_contact_phone": "03-1234-5602"}


def add_general(office: Office, *, diagram: bool = True, line_work: bool = True) -> int:
    """A 変更申込 of a netNACCS office adding 一般 NACCS (both held from then), ready to submit:
    the 接続形態 両方, a 一般 NACCS 処理方式 added, its 回線工事 and (unless told) its システム構成図."""
    app_id = start_change(office.actor, office.applicant_id, ["connection"], first_month())
    office_data = dict(application_view(office.actor, app_id).data_of("office"))
    result = save(office.actor, app_id, "office", {**office_data, "connection_type": "BOTH"})
    assert not result.errors, result.errors
    line = dict(application_view(office.actor, app_id).data_of("line"))
    result = save(office.actor, app_id, "line", {**line, "processing_methods": ["netNACCS", "インタラクティブ"]})
    assert not result.errors, result.errors
    if line_work:
        result = save(office.actor, app_id, "line_installation", LINE_WORK)
        assert not result.errors, result.errors
    if diagram:
        add_attachment(office.actor, app_id, "構成図.pdf", TEST_PDF)
    return app_id
