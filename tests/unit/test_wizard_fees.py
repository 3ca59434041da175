"""料金プラン estimate: plan A vs plan B from the fee schedule (SPEC §2.6)."""
from services.application.fees import estimate, estimate_from_sections
from services.demo.testdata import complete_sections


def test_b_cheaper_below_break_even_a_above():
    low = estimate(usage=20_000, terminals=1)
    assert (low.plan_a, low.plan_b, low.cheaper) == (17_000, 16_000, "B")
    high = estimate(usage=40_000, terminals=1)
    assert (high.plan_a, high.plan_b, high.cheaper) == (29_000, 32_000, "A")
    assert estimate(usage=25_000, terminals=1).cheaper is None
    assert low.break_even_usage == 25_000


def test_basic_fee_counts_terminals_and_mailboxes_options_per_user_code():
    rows = [{"management_reports": True, "bonded_storage_service": True}, {"management_reports": True}]
    e = estimate(usage=0, terminals=2, mailboxes=1, user_code_rows=rows)
    assert e.units == 3 and e.options == 3_000
    assert e.plan_a == 15_000 + 3_000 and e.plan_b == 3_000


def test_from_saved_sections():
    data = complete_sections("GENERAL")  # 2 terminals, 1 mailbox, 1 paid report option, usage 30,000
    e = estimate_from_sections(data)
    assert (e.units, e.usage, e.options) == (3, 30_000, 1_000)
    assert estimate_from_sections(data, mailbox_applies=False).units == 2
    assert estimate_from_sections({}, "abc").usage == 0


def test_a_schedule_where_plan_a_never_pays_has_no_break_even():
    flat = {"basic_per_unit": 5000, "rate_a": 0.8, "rate_b": 0.8, "management_reports_per_user_code": 0,
            "bonded_storage_per_user_code": 0}
    e = estimate(usage=100_000, terminals=1, schedule=flat)
    assert e.break_even_usage is None and e.cheaper == "B"
