"""A demo office with a システム設定申込 waiting in the review queue (SPEC §2.4): the 「none ○」 demo
office of services.demo.offices (its 事業所コード offices.NONE_ID, one-click login) submits the
システム設定申込 of its first 利用者コード through the real use cases (start, save, submit); its second
利用者コード has none yet. No approval is made here (no extra bcrypt hash at a cold start)."""
from __future__ import annotations

from dataclasses import replace

from faker import Faker
from sqlalchemy import select

from db.models import Application, User, UserCode
from services.application.save import save_section
from services.application.submit import submit_application
from services.auth import login_key, to_actor
from services.demo import offices
from services.demo.applicants import _version
from services.system_settings.english import remember_suggestions
from services.system_settings.start import start_system_settings
from services.uow import UnitOfWork, get_or_raise

DEMO_OFFICE_CODE = offices.NONE_ID
# What the office typed on the 業種 tabs of its first 利用者コード (通関業 and 海貨業).
TABS = {"ss_customs_broker": {"broker_licence_number": "9012", "licensing_customs": "東京税関"},
        "ss_freight_forwarder": {"forwarder_code": "KAIKA", "port_code": "JPTYO"}}
# The 「名称」 tab's English suggestions for this office's names (Faker, seeded), as the romaniser
# gives them: a cold start then does not load pykakasi (~1.5 s). A name not listed here (the demo
# world changed) is romanised as usual; tests/integration/test_settings_demo.py says when to update.
SUGGESTIONS = {
    "山本鉱業株式会社": "Yamamoto Kogyo Co., Ltd.",
    "本社営業所": "Head Office Office",
    "佐藤 花子": "Sato Hanako",
    "徳島県東大和市京橋29丁目1番7号": "29-1-7 Kyobashi, Higashiyamato-shi, Tokushima",
}


def seed_system_settings_waiting(u: UnitOfWork, _fake: Faker) -> None:
    s = u.session
    user = s.scalar(select(User).where(User.login_key == login_key(DEMO_OFFICE_CODE)))
    if user is None or user.applicant_id is None:
        return
    office = replace(to_actor(user), must_change_password=False)
    first = s.scalars(select(UserCode.user_code).where(UserCode.applicant_id == user.applicant_id)
                      .order_by(UserCode.id).limit(1)).one()
    remember_suggestions(SUGGESTIONS)
    app_id = start_system_settings(office, user.applicant_id, first, uow=u)
    for key, values in TABS.items():
        save_section(office, app_id, key, values, _version(u, app_id, key), uow=u)
    submit_application(office, app_id, get_or_raise(s, Application, app_id).version, uow=u)
