"""Demo office with a システム設定申込 waiting in the review queue (SPEC §2.4): its 新規利用申込 was
approved by the real review action, then the office submitted the システム設定申込 of its first
利用者コード (船会社 + 通関業, with the 船会社 survey form attached); its second 利用者コード has none yet.

Its 事業所コード is fixed (DEMO_OFFICE_CODE) so the login page's demo button finds it: approval
generates a random one, which is replaced here and reserved like any issued code.
"""
from __future__ import annotations

from faker import Faker
from sqlalchemy import select

from db.models import Applicant, Application, IssuedCode, User, UserCode
from services import clock
from services.application.attachments import add_attachment
from services.application.save import save_section
from services.application.start import start_application
from services.application.submit import submit_application
from services.auth import login_key, to_actor
from services.authz import UserKind
from services.codes import CodeKind
from services.deadlines import default_start_date
from services.demo import applicants
from services.demo.accounts import demo_password_hash
from services.review import actions
from services.system_settings.start import start_system_settings
from services.uow import UnitOfWork, get_or_raise

DEMO_OFFICE_CODE = "D8SYSSET"
TEMP_ID = "T900000006"
DEMO_BUTTONS = [("system_settings.demo.office", DEMO_OFFICE_CODE)]
# What the office typed on its 業種 tabs.
TABS = {"ss_shipping_line": {"shipping_line_code": "NYKS"},
        "ss_customs_broker": {"broker_licence_number": "9012", "licensing_customs": "東京税関"}}


def seed_system_settings_office(u: UnitOfWork, fake: Faker) -> None:
    s = u.session
    reviewer = applicants._reviewer(s)
    if reviewer is None:
        return
    temp, applicant_id, data = applicants._applicant(u, fake, TEMP_ID)
    data = applicants._net(data)
    data["user_code"] = {"user_codes": [
        {"system_category": "海上", "industries": ["通関業", "船会社"], "id_number_count": 2,
         "management_reports": True, "bonded_storage_service": False},
        {"system_category": "航空", "industries": ["航空貨物代理店"], "id_number_count": 1,
         "management_reports": False, "bonded_storage_service": False}]}
    app_id = start_application(temp, applicant_id, shared_use=False, uow=u)
    applicants._fill(u, temp, app_id, data, list(data))
    submit_application(temp, app_id, get_or_raise(s, Application, app_id).version, uow=u)
    actions.claim(reviewer, app_id, get_or_raise(s, Application, app_id).version, uow=u)
    actions.approve(reviewer, app_id, default_start_date(), get_or_raise(s, Application, app_id).version, uow=u)

    applicant = get_or_raise(s, Applicant, applicant_id)
    office_user = s.scalars(select(User).where(User.applicant_id == applicant_id, User.kind == UserKind.OFFICE)).one()
    s.add(IssuedCode(code=DEMO_OFFICE_CODE, kind=CodeKind.OFFICE, issued_at=clock.now()))
    applicant.office_code = DEMO_OFFICE_CODE
    office_user.login_id, office_user.login_key = DEMO_OFFICE_CODE, login_key(DEMO_OFFICE_CODE)
    office_user.password_hash, office_user.must_change_password = demo_password_hash(), False
    office_user.is_demo = True
    u.flush()
    office = to_actor(office_user)

    first = s.scalars(select(UserCode.user_code).where(UserCode.application_id == app_id)
                      .order_by(UserCode.id).limit(1)).one()
    ss_id = start_system_settings(office, applicant_id, first, uow=u)
    for key, values in TABS.items():
        save_section(office, ss_id, key, values, applicants._version(u, ss_id, key), uow=u)
    add_attachment(office, ss_id, "船会社受委託関係登録兼船会社コード付与調査票 記入済.pdf", applicants._demo_pdf(),
                   purpose="shipping_line_survey", uow=u)
    submit_application(office, ss_id, get_or_raise(s, Application, ss_id).version, uow=u)
