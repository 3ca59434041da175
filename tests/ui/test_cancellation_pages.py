"""解約申込 pages (AppTest): 申込実施 offers it, the page's journey (start, a field error next to its
field in Japanese, 申込む with its 受付番号, read-only while reviewed), the reviewer's approve tab (no
利用開始日), 契約内容確認 marking a retired 利用者コード 解約, and the login refused with the reason."""
from __future__ import annotations

from datetime import timedelta

import pytest
import streamlit as st
from sqlalchemy import select

from db.models import Applicant, Application, Notice
from services import clock
from services.authz import REVIEWER
from services.cancellation import effect
from services.notices import NoticeKind
from services.review import actions
from services.secrets import decrypt
from services.uow import UnitOfWork
from services.workflow import ApplicationKind, ApplicationStatus
from tests.factories import at_jst, make_office, make_staff, submitted_cancellation, version_of
from tests.ui.harness import app, login, page, texts

PAGE, PROCEDURES, DETAIL, CONTRACT = ("screens/applicant/cancellation.py", "screens/applicant/procedures.py",
                                      "screens/review/detail.py", "screens/applicant/contract.py")


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_procedures_offer_the_cancellation(sqlite_db):
    at = page(PROCEDURES, make_office().actor)
    assert not at.exception
    assert "解約申込" in texts(at)
    assert "この手続きはまだご利用いただけません。" not in texts(at).split("解約申込", 1)[1]


def test_the_office_applies_for_one_user_code(sqlite_db):
    office = make_office([("通関業",), ("航空会社",)])
    at = page(PAGE, office.actor)
    assert not at.exception
    _button(at, "解約申込を始める").click().run()
    assert not at.exception
    at.radio[0].set_value("USER_CODE").run()
    assert "選んだ利用者コードだけを解約します" in texts(at)
    at.selectbox[0].select(office.user_codes[1]).run()
    day = clock.today_jst() + timedelta(days=14)
    at.date_input[0].set_value(day).run()
    _button(at, "申込む").click().run()  # no reason: refused, the message under the field
    assert not at.exception
    assert "入力してください。" in [e.value for e in at.error]
    with UnitOfWork() as u:
        app_row = u.session.scalar(select(Application).where(Application.kind == ApplicationKind.CANCELLATION))
        assert app_row.status == ApplicationStatus.DRAFT
    at.text_input[0].input("航空貨物の取扱いをやめるため").run()
    _button(at, "申込む").click().run()
    assert not at.exception
    with UnitOfWork() as u:
        app_row = u.session.scalar(select(Application).where(Application.kind == ApplicationKind.CANCELLATION))
        assert app_row.status == ApplicationStatus.SUBMITTED
        ref_no = app_row.ref_no
    text = texts(at)
    assert f"解約申込を受け付けました（受付番号 {ref_no}）" in text and "審査中です" in text
    tables = "\n".join(tb.value.to_string() for tb in at.table)
    assert office.user_codes[1] in tables and "航空貨物の取扱いをやめるため" in tables


def test_the_reviewer_approves_without_a_start_date(sqlite_db):
    office = make_office([("通関業",), ("航空会社",)])
    day = clock.today_jst() + timedelta(days=10)
    app_id = submitted_cancellation(office, day, user_code=office.user_codes[0])
    reviewer = make_staff("rev-cx-ui", REVIEWER)
    at = page(DETAIL, reviewer, review_app_id=app_id)
    assert not at.exception
    assert "解約申込" in texts(at) and not [d for d in at.date_input if (d.key or "").startswith("rd_start_")]
    _button(at, "承認する").click().run()
    assert not at.exception
    assert f"承認しました。{day:%Y/%m/%d} から解約されます。" in texts(at)
    with at_jst(day, 1):
        effect.run_due()
        at = page(CONTRACT, office.actor)
    assert not at.exception
    frame = at.dataframe[0].value
    states = dict(zip(frame["利用者コード"], frame["状態"], strict=True))
    assert states == {office.user_codes[0]: f"解約（{day:%Y/%m/%d}）", office.user_codes[1]: "利用中"}


def test_an_ended_contract_is_refused_at_login_with_the_reason(sqlite_db):
    office = make_office()
    with UnitOfWork() as u:
        s = u.session
        office_code = s.get(Applicant, office.applicant_id).office_code
        password = decrypt(s.scalar(select(Notice.secret).where(Notice.applicant_id == office.applicant_id,
                                                                Notice.kind == NoticeKind.ID_NOTICE)))
    day = clock.today_jst() + timedelta(days=5)
    app_id = submitted_cancellation(office, day)
    reviewer = make_staff("rev-cx-login", REVIEWER)
    actions.claim(reviewer, app_id, version_of(app_id))
    actions.approve(reviewer, app_id, None, version_of(app_id))
    with at_jst(day, 8):
        effect.run_due()
        at = login(app(), office_code, password)
        assert not at.exception
        assert "この事業所の契約は解約されたため" in texts(at)
        # Staff still read it: the reviewer's 申込詳細 of the 解約申込 says the contract ended.
        shown = page(DETAIL, reviewer, review_app_id=app_id)
    assert not shown.exception
    assert f"この事業所の契約は、解約申込により {day:%Y/%m/%d} に解約されました" in texts(shown)
    assert "事業所の統合のため" in "\n".join(tb.value.to_string() for tb in shown.table)
