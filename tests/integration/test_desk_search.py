"""Finding a caller at the desk: every search kind, on SQLite and PostgreSQL."""
from datetime import date, timedelta

import pytest

from services import clock
from services.authz import APPLICANT, DESK, REVIEWER, Actor
from services.desk import query as q
from services.desk.search import MAX_RESULTS, find_callers
from services.errors import DomainError, PermissionDenied
from tests.factories import make_caller, make_staff, raw_progress, raw_user_code


@pytest.fixture
def desk(db):
    return make_staff("desk1", DESK)


@pytest.fixture
def callers(desk):
    return {
        "yamada": make_caller(corporate_number="7000012050002", office_code="AB3CD4EF"),
        "suzuki": make_caller(name="鈴木 花子", kana="スズキ\u3000ハナコ", company="Blue Ocean 商事",
                                 phone="045-987-6543", email="hanako_s@ocean.example.com",
                                 temp_login_id="T123456789"),
        "yamaguchi": make_caller(name="山口 次郎", kana="ヤマグチ\u3000ジロウ", company="港運輸",
                                    phone="090-1111-2222", email="jiro@minato.example.jp"),
    }


def found(desk, text, field=q.AUTO):
    result = find_callers(desk, text, field)
    return result.kind, {h.contact_name for h in result.hits}


@pytest.mark.parametrize("phone", ["03-1234-5678", "0312345678", "０３－１２３４－５６７８", "(03)1234-5678",
                                   "03-1234"])
def test_phone_in_any_format_finds_the_caller(desk, callers, phone):
    assert found(desk, phone) == (q.PHONE, {"山田 太郎"})


def test_phone_prefix_is_a_prefix_not_a_substring(desk, callers):
    assert found(desk, "1234-5678") == (q.PHONE, set())


def test_kana_prefix_from_hiragana_and_katakana(desk, callers):
    assert found(desk, "やま") == (q.KANA, {"山田 太郎", "山口 次郎"})
    assert found(desk, "ヤマダ　タ") == (q.KANA, {"山田 太郎"})
    assert found(desk, "やまだ たろう") == (q.KANA, {"山田 太郎"})
    assert found(desk, "ﾔﾏｸﾞﾁ") == (q.KANA, {"山口 次郎"})
    assert found(desk, "マダ") == (q.KANA, set())  # prefix only


def test_kana_results_come_in_gojuon_order(desk):
    for name, kana in [("山本", "ヤマモト"), ("山内", "ヤマウチ"), ("山田", "ヤマダ"), ("矢部", "ヤベ")]:
        make_caller(name=name, kana=kana)
    assert [h.contact_name for h in find_callers(desk, "や").hits] == ["矢部", "山内", "山田", "山本"]  # ヤベ: ベ is in ハ行, before マ


def test_name_and_company_partial(desk, callers):
    assert found(desk, "山") == (q.TEXT, {"山田 太郎", "山口 次郎"})
    assert found(desk, "花子") == (q.TEXT, {"鈴木 花子"})
    assert found(desk, "ocean") == (q.TEXT, {"鈴木 花子"})       # company, any case
    assert found(desk, "運輸") == (q.TEXT, {"山口 次郎"})
    assert found(desk, "物流", q.NAME) == (q.NAME, set())        # explicit field: name only
    assert found(desk, "物流", q.COMPANY) == (q.COMPANY, {"山田 太郎"})


def test_full_width_and_case_are_folded_on_both_sides(desk):
    make_caller(name="ＴＡＮＡＫＡ　Ｊｏｅ", company="ＡＢＣ商事")
    make_caller(name="佐藤 一郎", company="ｶﾌﾞｼｷｶﾞｲｼｬ Xyz")
    assert found(desk, "abc") == (q.TEXT, {"ＴＡＮＡＫＡ　Ｊｏｅ"})
    assert found(desk, "ABC商事", q.COMPANY) == (q.COMPANY, {"ＴＡＮＡＫＡ　Ｊｏｅ"})
    assert found(desk, "ａｂｃ") == (q.TEXT, {"ＴＡＮＡＫＡ　Ｊｏｅ"})
    assert found(desk, "tanaka joe", q.NAME) == (q.NAME, {"ＴＡＮＡＫＡ　Ｊｏｅ"})
    assert found(desk, "カブシキ", q.COMPANY) == (q.COMPANY, {"佐藤 一郎"})   # half-width kana stored
    assert found(desk, "ＸＹＺ") == (q.TEXT, {"佐藤 一郎"})


def test_the_search_columns_follow_a_renamed_company(desk):
    from db.models import Applicant
    from services.uow import UnitOfWork
    caller = make_caller(company="旧社名")
    with UnitOfWork() as u:
        s = u.session
        s.get(Applicant, caller).company_name = "Ｎｅｗ Ｗａｖｅ 物流"
        s.commit()
    assert found(desk, "new wave") == (q.TEXT, {"山田 太郎"})
    assert found(desk, "旧社名") == (q.TEXT, set())


def test_mail_case_insensitive_and_wildcards_are_literal(desk, callers):
    assert found(desk, "TARO.YAMADA@example.JP") == (q.EMAIL, {"山田 太郎"})
    assert found(desk, "hanako_s@") == (q.EMAIL, {"鈴木 花子"})
    assert found(desk, "hanako%s@") == (q.EMAIL, set())
    assert found(desk, "jiro", q.EMAIL) == (q.EMAIL, {"山口 次郎"})


def test_codes_exact_and_case_insensitive(desk, callers):
    assert found(desk, "t123456789") == (q.TEMP_LOGIN_ID, {"鈴木 花子"})
    assert found(desk, "T12345678") == (q.TEMP_LOGIN_ID, set())  # exact, not prefix
    assert found(desk, "ab3cd4ef") == (q.TEXT, {"山田 太郎"})      # office code typed without a field
    assert found(desk, "ａｂ３ｃｄ４ｅｆ") == (q.TEXT, {"山田 太郎"})  # full-width
    assert found(desk, "ab3cd4ef", q.OFFICE_CODE) == (q.OFFICE_CODE, {"山田 太郎"})
    assert found(desk, "７０００－０１２０５０００２") == (q.CORPORATE_NUMBER, {"山田 太郎"})
    assert found(desk, "7000012050002") == (q.CORPORATE_NUMBER, {"山田 太郎"})


def test_no_results(desk, callers):
    result = find_callers(desk, "存在しない人")
    assert (result.total, result.hits) == (0, [])


@pytest.mark.parametrize("text, code", [("", "desk.search.empty"), ("　 ", "desk.search.empty"),
                                        ("x" * 101, "desk.search.too_long")])
def test_empty_or_too_long_query_is_refused(desk, text, code):
    with pytest.raises(DomainError) as err:
        find_callers(desk, text)
    assert err.value.code == code


def test_phone_field_without_digits_is_refused(desk):
    with pytest.raises(DomainError) as err:
        find_callers(desk, "山田", q.PHONE)
    assert err.value.code == "desk.search.invalid_for_field"


def test_results_are_capped_with_the_total(desk):
    for i in range(MAX_RESULTS + 3):
        make_caller(name=f"佐藤 {i}", kana="サトウ", phone=f"06-0000-{i:04d}")
    result = find_callers(desk, "サトウ")
    assert result.total == MAX_RESULTS + 3 and len(result.hits) == MAX_RESULTS and not result.total_capped


def test_next_step_for_each_status(desk):
    expires = clock.now() + timedelta(hours=30)
    make_caller(name="未開始", expires_in=timedelta(hours=30))
    make_caller(name="期限切れ", expires_in=timedelta(hours=-1))
    drafting = make_caller(name="入力中")
    raw_progress(drafting, "DRAFT", complete_screens=3)
    returned = make_caller(name="差戻し")
    raw_progress(returned, "RETURNED")
    approved = make_caller(name="承認済", office_code="ZZ3CD4EF")
    raw_progress(approved, "APPROVED", start_date=date(2026, 12, 7))
    waiting = make_caller(name="審査待ち")
    raw_progress(waiting, "DRAFT")
    raw_progress(waiting, "SUBMITTED")  # the latest application counts
    steps = {h.contact_name: h.next_step for h in find_callers(desk, "03-1234").hits}
    assert steps["未開始"].code == "not_started"
    assert (steps["未開始"].params["expires"].astimezone(clock.JST).strftime("%Y-%m-%d %H:%M")
            == expires.astimezone(clock.JST).strftime("%Y-%m-%d %H:%M"))
    assert steps["期限切れ"].code == "temp_expired"
    assert (steps["入力中"].code, steps["入力中"].params) == ("drafting", {"done": 3, "total": 7})
    assert steps["差戻し"].code == "returned" and steps["差戻し"].application_status == "RETURNED"
    assert (steps["承認済"].code, steps["承認済"].params) == ("approved", {"start_date": date(2026, 12, 7)})
    assert steps["審査待ち"].code == "awaiting_review"


def applicant_actor(applicant_id: int) -> Actor:
    return Actor(user_id=999, login_id="T000000001", display_name="申込者", kind="TEMP",
                 roles=frozenset({APPLICANT}), applicant_id=applicant_id)


def test_only_desk_staff_may_search(db, callers):
    reviewer = make_staff("rev1", REVIEWER)
    for actor in (reviewer, applicant_actor(callers["yamada"]), None):
        with pytest.raises(PermissionDenied):
            find_callers(actor, "山田")


def test_approved_office_with_system_settings_still_to_do(desk):
    office = make_caller(name="設定待ち", office_code="SE3CD4EF")
    app = raw_progress(office, "APPROVED", start_date=date(2026, 12, 7))
    raw_user_code(office, app, "AB2CD")
    raw_user_code(office, app, "EF3GH", settings_done=True)
    step, = [h.next_step for h in find_callers(desk, "設定待ち").hits]
    # 4 business days before Monday 7 December 2026 is Tuesday 1 December.
    assert (step.code, step.params) == ("settings_pending",
                                        {"start_date": date(2026, 12, 7), "pending": 1,
                                         "deadline": date(2026, 12, 1)})


def test_reference_number_from_the_receipt_mail(desk, callers):
    raw_progress(callers["suzuki"], "SUBMITTED", ref_no="NSS-2026-482913")
    assert found(desk, "nss-2026-482913") == (q.REF_NO, {"鈴木 花子"})
    assert found(desk, "NSS-2026-48291") == (q.REF_NO, set())
