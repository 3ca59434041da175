"""Demo offices at each stage of system settings (none ○, some ○, all ○), each approved by the real
review action and then given a fixed 事業所コード and the demo password, so a one-click login opens
its guidance and 契約内容確認. A fixed code holds a 0 or 1, which generated codes never do."""
from __future__ import annotations

from faker import Faker
from sqlalchemy import select

from db.models import Applicant, IssuedCode, User, UserCode
from services import clock
from services.codes import CodeKind
from services.demo.accounts import demo_password_hash
from services.demo.applicants import approved_applicant, demo_reviewer
from services.system_settings.registrations import NAME_ITEM, record_all, record_approval
from services.uow import UnitOfWork

NONE_ID, SOME_ID, ALL_ID = "D0000001", "D0000002", "D0000003"
OFFICE_DEMO_BUTTONS = [
    ("demo.button.office_settings_none", NONE_ID),
    ("demo.button.office_settings_some", SOME_ID),
    ("demo.button.office_settings_all", ALL_ID),
]
# The 仮ログイン ID each demo office was issued before approval (fixed too, never generated).
_TEMP_IDS = {NONE_ID: "T900000011", SOME_ID: "T900000012", ALL_ID: "T900000013"}
# Two 利用者コード each, so "some ○" can have one finished and one not.
_USER_CODES = [
    {"system_category": "海上", "industries": ["通関業", "海貨業"], "id_number_count": 2,
     "management_reports": True, "bonded_storage_service": False},
    {"system_category": "航空", "industries": ["航空貨物代理店"], "id_number_count": 1,
     "management_reports": False, "bonded_storage_service": False},
]


def _fix_office_login(u: UnitOfWork, applicant_id: int, office_code: str) -> None:
    s = u.session
    applicant = s.get(Applicant, applicant_id)
    assert applicant is not None and applicant.office_code
    user = s.scalar(select(User).where(User.applicant_id == applicant_id, User.login_id == applicant.office_code))
    assert user is not None
    s.add(IssuedCode(code=office_code, kind=CodeKind.OFFICE, issued_at=clock.now()))
    applicant.office_code = office_code
    user.login_id, user.login_key = office_code, office_code.lower()
    user.password_hash, user.must_change_password, user.is_demo = demo_password_hash(), False, True


def seed_settings_offices(u: UnitOfWork, fake: Faker) -> None:
    s = u.session
    reviewer = demo_reviewer(s)
    if reviewer is None:
        return
    for office_code in (NONE_ID, SOME_ID, ALL_ID):
        applicant_id, app_id = approved_applicant(u, fake, _TEMP_IDS[office_code], reviewer,
                                                     user_code_rows=_USER_CODES)
        _fix_office_login(u, applicant_id, office_code)
        codes = list(s.scalars(select(UserCode).where(UserCode.applicant_id == applicant_id)
                               .order_by(UserCode.user_code)))
        if office_code == ALL_ID:
            for uc in codes:
                record_all(s, uc, app_id)
        elif office_code == SOME_ID and codes:
            record_all(s, codes[0], app_id)           # the first 利用者コード done,
            for uc in codes[1:]:
                record_approval(s, uc, app_id, [NAME_ITEM])  # the others with only their 名称
    u.flush()
