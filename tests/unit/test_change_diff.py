"""The 変更申込 diff: only changed items of the chosen screens; blanks equal; a value that does not
apply is blank; 利用者コード rows matched by code (added / removed / changed), other rows by position."""
from datetime import date

from services.application.fieldspec import Context
from services.change.diff import ChangeKind, diff
from services.change.parts import chosen_sections, month_choices, parse_month

CTX = Context()
ALL = chosen_sections(["office", "user_codes", "billing", "terminals"])


def _code(code, industries, **extra):
    return {"user_code": code, "system_category": "海上", "industries": industries, "id_number_count": 1, **extra}


def test_nothing_changed_gives_no_line_and_blanks_are_equal():
    current = {"billing_address": {"same_as_office": False, "billing_department": None}}
    proposed = {"billing_address": {"same_as_office": None, "billing_department": ""}}
    assert diff(current, proposed, ALL, CTX, CTX) == []


def test_a_screen_not_chosen_is_never_compared():
    current, proposed = {"fee_plan": {"plan": "A"}}, {"fee_plan": {"plan": "B"}}
    assert diff(current, proposed, ALL, CTX, CTX) == []
    assert [c.field for c in diff(current, proposed, chosen_sections(["fee_plan"]), CTX, CTX)] == ["plan"]


def test_a_field_that_no_longer_applies_reads_as_blank():
    current = {"billing_address": {"same_as_office": False, "billing_name": "請求先株式会社"}}
    proposed = {"billing_address": {"same_as_office": True, "billing_name": "請求先株式会社"}}
    changes = diff(current, proposed, ALL, CTX, CTX)
    assert {(c.field, c.before, c.after) for c in changes} == {
        ("same_as_office", None, True), ("billing_name", "請求先株式会社", None)}


def test_user_code_rows_are_matched_by_code():
    current = {"user_code": {"user_codes": [_code("AAAAA", ["通関業"]), _code("BBBBB", ["船会社"]),
                                            _code("CCCCC", ["海貨業"])]}}
    proposed = {"user_code": {"user_codes": [
        _code("BBBBB", ["船会社", "通関業"]), _code("CCCCC", ["海貨業"], retire=True),
        {"system_category": "航空", "industries": ["航空会社"], "id_number_count": 2}]}}
    changes = diff(current, proposed, ALL, CTX, CTX)
    assert [(c.kind, c.row, c.field) for c in changes] == [
        (ChangeKind.REMOVED, "AAAAA", "user_codes"), (ChangeKind.CHANGED, "BBBBB", "industries"),
        (ChangeKind.REMOVED, "CCCCC", "user_codes"), (ChangeKind.ADDED, "#1", "user_codes")]


def test_other_rows_are_compared_by_position():
    current = {"logical_terminal": {"terminals": [{"installation_site": "本社"}]}}
    proposed = {"logical_terminal": {"terminals": [{"installation_site": "支社"}, {"installation_site": "倉庫"}]}}
    changes = diff(current, proposed, ALL, CTX, CTX)
    assert [(c.kind, c.row, c.before, c.after) for c in changes] == [
        (ChangeKind.CHANGED, "#1", "本社", "支社"), (ChangeKind.ADDED, "#2", None, {"installation_site": "倉庫"})]


def test_effective_months_are_next_month_to_a_year_ahead():
    months = month_choices(date(2026, 12, 15))
    assert months[0] == "2027-01" and months[-1] == "2027-12" and len(months) == 12
    assert parse_month("2027-04") == date(2027, 4, 1) and parse_month("2027/04") is None
