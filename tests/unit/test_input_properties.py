"""Property-based tests (hypothesis) over the validators and parsers in services/ (issue 8):
for any input, including control characters, format characters, odd digits and huge strings,
nothing but the project's own errors (DomainError, ValidationFailed, FieldInvalid) is raised,
and normalised values are stable (normalising them again changes nothing).

The file-content checks (services.application.filetypes, attachments.check_file) are tested by
their own module's tests. Settings are modest so CI stays fast: EXAMPLES per property."""
from __future__ import annotations

from dataclasses import fields as dc_fields
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from services import auth, deadlines, fields, notes, reissue
from services.application import fees, fieldspec
from services.application import sections as sec
from services.application.save import visible_conversions
from services.audit import changed_fields
from services.desk import query as q
from services.errors import DomainError
from services.fields import FieldInvalid, has_refused_characters
from services.review import actions as review_actions
from services.review.sections import SECTION_KEYS
from services.temp_accounts import TempAccountForm, clean_form

EXAMPLES = 200
PROPS = settings(max_examples=EXAMPLES, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Characters that broke things or matter to the rules: odd digits, dashes, spaces, controls, formats.
TRICKY = ("0123456789０１２３４５６７８９¹²³⁴⁰①②⑩٣۴〇"
          "-ー－‐―() （）+@._〒TtNSabcＡｂｃアあｱ漢\u3000 \t\n\r\x00\x01\x1b\x7f\x85\u200b\u200d\u202e\u2028\ufeff")


def _repeat(parts: tuple[str, int]) -> str:
    return parts[0] * parts[1]


# Arbitrary text (st.text() has every category but lone surrogates), tricky text, and huge strings.
small_texts = st.one_of(st.text(max_size=30), st.text(alphabet=TRICKY, max_size=40))
huge_texts = st.tuples(st.text(alphabet=TRICKY, min_size=1, max_size=3), st.integers(1, 100_000)).map(_repeat)
texts = st.one_of(st.text(), st.text(alphabet=TRICKY, max_size=40), huge_texts)
small_scalars = st.one_of(small_texts, st.none(), st.booleans(), st.integers(), st.floats(),
                          st.integers(-(10 ** 400), 10 ** 400), st.dates())
scalars = st.one_of(texts, small_scalars)
values = st.recursive(st.one_of(small_scalars, small_scalars, small_scalars, huge_texts), lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                        st.dictionaries(st.text(max_size=10), inner, max_size=5)),
                      max_leaves=10)


def own_errors_only(call) -> Any:
    """The call's result, or None when it refused with one of the project's own errors. Anything
    else (ValueError, OverflowError, TypeError ...) propagates and fails the property."""
    try:
        return call()
    except (DomainError, FieldInvalid):
        return None


# ------------------------------------------------------------------ services.fields

CLEANERS = {
    "text": lambda v: fields.clean_required_text(v, 50),
    "text_optional": lambda v: fields.clean_required_text(v, 50, required=False),
    "kana": lambda v: fields.clean_kana(v, 50),
    "phone": fields.clean_phone,
    "postal": fields.clean_postal_code,
    "email": fields.clean_email,
    "corporate_number": fields.clean_corporate_number,
    "code8": lambda v: fields.clean_half_width_code(v, 8),
}


@PROPS
@given(st.sampled_from(sorted(CLEANERS)), st.one_of(texts, scalars))
def test_field_cleaners_raise_only_field_errors_and_are_idempotent(name, value):
    clean = CLEANERS[name]
    result = own_errors_only(lambda: clean(value))
    if result is None:
        return
    assert isinstance(result, str) and not has_refused_characters(result)
    assert clean(result) == result  # a normalised value normalises to itself


@PROPS
@given(texts)
def test_refused_characters_are_never_in_a_cleaned_text(value):
    result = own_errors_only(lambda: fields.clean_required_text(value, 2000, multiline=True))
    if result is not None:
        assert not has_refused_characters(result, multiline=True)
        assert "\x00" not in result and "\u202e" not in result


@PROPS
@given(texts)
def test_corporate_number_accepts_only_thirteen_ascii_digits_with_a_right_check_digit(value):
    result = own_errors_only(lambda: fields.clean_corporate_number(value))
    if result:
        assert len(result) == 13 and result.isascii() and result.isdigit()
        assert int(result[0]) == fields.corporate_number_check_digit(result[1:])


@PROPS
@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.sampled_from(["", "-", " ", "　"]),
       st.booleans())
def test_a_valid_corporate_number_is_accepted_in_any_typed_form(base12, separator, full_width):
    number = f"{fields.corporate_number_check_digit(base12)}{base12}"
    typed = separator.join([number[:1], number[1:5], number[5:9], number[9:]])
    if full_width:
        typed = typed.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert fields.clean_corporate_number(typed) == number


@PROPS
@given(st.one_of(texts, scalars))
def test_parse_int_raises_only_field_errors_and_stays_within_max_digits(value):
    number = own_errors_only(lambda: fields.parse_int(value))
    if number is not None:
        assert abs(number) < 10 ** fields.MAX_DIGITS
        assert fields.parse_int(str(number)) == number  # round trip
    assert fields.int_or_none(value) == number


@PROPS
@given(st.integers(-(10 ** fields.MAX_DIGITS) + 1, 10 ** fields.MAX_DIGITS - 1), st.booleans())
def test_parse_int_round_trips_typed_numbers(number, grouped):
    typed = f"{number:,}" if grouped else str(number)
    assert fields.parse_int(typed) == number
    assert fields.parse_int(typed.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))) == number


@PROPS
@given(texts)
def test_phone_digits_and_half_width_never_fail(value):
    digits = fields.phone_digits(value)
    assert digits == "" or (digits.isascii() and digits.isdigit())
    assert isinstance(fields.to_half_width_ascii(value), str)


@PROPS
@given(st.one_of(texts, scalars))
def test_login_id_lookup_key_never_holds_refused_characters(value):
    key = auth.login_key(value if isinstance(value, str) else repr(type(value)))
    assert not has_refused_characters(key) and len(key) <= fields.hard_cap(fields.LOGIN_ID_MAX)
    assert auth.login_key(key) == key  # the key of a key is itself


def test_an_integer_too_long_for_str_is_refused_not_a_value_error():
    """Python's str() stops at 4300 digits (ValueError); such an int cannot come from a screen, and
    hypothesis cannot show one either, so here once: refused in a screen and in every cleaner."""
    huge = 10 ** 5000
    office = sec.get_section(sec.FEE_PLAN).check({"expected_monthly_usage": huge}, fieldspec.Context())
    assert office.refused["expected_monthly_usage"].code == fields.TOO_MANY_DIGITS
    for clean in CLEANERS.values():
        assert own_errors_only(lambda c=clean: c(huge)) is None
    assert fields.int_or_none(huge) is None and fees.estimate_from_sections({}, huge).usage == 0


@pytest.mark.parametrize("rows", [True, 1, 2.5, "rows", {"a": 1}, date(2026, 1, 1)])
def test_rows_given_one_value_are_refused_not_a_type_error(rows):
    """Found by the screen property below (a bool where the 利用者コード rows belong)."""
    checked = sec.get_section(sec.USER_CODE).check({"user_codes": rows}, fieldspec.Context())
    assert checked.refused["user_codes"].code == fields.INVALID_VALUE


# ------------------------------------------------------------------ wizard screens (fieldspec, sections)

INPUT_SECTIONS = [s for s in sec.SECTIONS if s.fields]
CONTEXTS = st.builds(fieldspec.Context,
                     connection_type=st.sampled_from([None, "NET", "GENERAL"]),
                     processing_methods=st.lists(st.sampled_from(["メールボックス", "SMTP", "x"]),
                                                 max_size=3).map(tuple),
                     shared_use=st.booleans())


@st.composite
def screen_data(draw):
    """A screen's data: every field name of a screen with arbitrary values (rows of arbitrary
    rows), plus arbitrary unknown keys."""
    section = draw(st.sampled_from(INPUT_SECTIONS))
    data: dict[str, Any] = draw(st.dictionaries(st.text(max_size=8), values, max_size=3))
    for spec in section.fields:
        if draw(st.booleans()):
            continue
        if spec.kind == fieldspec.ROWS:
            row = st.fixed_dictionaries({}, optional={r.name: values for r in spec.row_fields})
            data[spec.name] = draw(st.one_of(values, st.lists(row, max_size=4),
                                             st.integers(0, 3).map(lambda n, s=spec: [{}] * (s.max_rows + n))))
        else:
            data[spec.name] = draw(values)
    return section, data


@PROPS
@given(screen_data(), CONTEXTS)
def test_every_screen_check_raises_nothing_and_a_recheck_is_stable(screen, ctx):
    section, data = screen
    checked = section.check(data, ctx)
    assert set(checked.refused) <= set(checked.errors)
    assert section.status(data, ctx) in sec.SECTION_STATUSES
    if checked.refused:
        return  # such a screen is not saved (save_section raises ValidationFailed)
    again = section.check(checked.data, ctx)
    assert again.data == checked.data and set(again.errors) == set(checked.errors)
    assert not again.refused
    for value in checked.data.values():  # nothing refused is ever kept as typed
        assert not (isinstance(value, str) and has_refused_characters(value))
    assert isinstance(visible_conversions(data, checked.data, checked.errors), dict)


@PROPS
@given(st.dictionaries(st.sampled_from([s.key for s in sec.SECTIONS] + ["x"]),
                       st.one_of(st.none(), st.dictionaries(st.text(max_size=20), values, max_size=4)),
                       max_size=4), st.booleans())
def test_context_and_industry_filter_never_fail_on_stored_data(all_data, shared):
    ctx = sec.context_of(all_data, shared)
    assert ctx.connection_type in (None, "NET", "GENERAL")
    assert isinstance(sec.applicable_sections(ctx), list)
    user_code = all_data.get(sec.USER_CODE)
    result = sec.industries_filter_value(user_code if isinstance(user_code, dict) else None)
    assert result is None or (result.startswith("|") and result.endswith("|"))


@PROPS
@given(st.one_of(texts, scalars), st.booleans())
def test_dates_raise_only_field_errors_and_round_trip(value, required):
    spec = fieldspec.FieldSpec("d", fieldspec.DATE, required=required)
    result = own_errors_only(lambda: fieldspec.clean_value(spec, value, fieldspec.Context()))
    if result:
        assert date.fromisoformat(result).isoformat() == result
        assert fieldspec.clean_value(spec, result, fieldspec.Context()) == result


@PROPS
@given(st.one_of(texts, scalars), st.sampled_from([(0, 100_000_000), (1, 99), (None, None)]))
def test_integer_fields_raise_only_field_errors_and_respect_their_bounds(value, bounds):
    low, high = bounds
    spec = fieldspec.FieldSpec("n", fieldspec.INT, min_value=low, max_value=high)
    number = own_errors_only(lambda: fieldspec.clean_value(spec, value, fieldspec.Context()))
    if number is not None:
        assert (low is None or number >= low) and (high is None or number <= high)


# ------------------------------------------------------------------ money

rows_of_anything = st.lists(st.dictionaries(st.sampled_from(["management_reports", "bonded_storage_service", "x"]),
                                           values, max_size=3), max_size=5)


@PROPS
@given(st.fixed_dictionaries({}, optional={
    "line": st.fixed_dictionaries({}, optional={"logical_terminal_count": values}),
    "mailbox": st.fixed_dictionaries({}, optional={"mailboxes": rows_of_anything}),
    "fee_plan": st.fixed_dictionaries({}, optional={"expected_monthly_usage": values}),
    "user_code": st.fixed_dictionaries({}, optional={"user_codes": rows_of_anything})}),
    st.one_of(st.none(), texts, scalars), st.booleans())
def test_fee_estimate_never_fails_on_what_was_typed_or_stored(sections_data, usage, mailbox_applies):
    """Was: OverflowError for a 予想月間利用額 of 309+ digits. Saved screens hold rows as lists of
    mappings (the checks make them so); every value inside may be anything kept as typed."""
    estimate = fees.estimate_from_sections(sections_data, usage, mailbox_applies=mailbox_applies)
    assert estimate.plan_a >= 0 and estimate.plan_b >= 0 and estimate.cheaper in (None, "A", "B")


@PROPS
@given(st.one_of(texts, scalars))
def test_fee_estimate_for_any_typed_amount_on_saved_screens(usage):
    saved = {"line": {"logical_terminal_count": 2}, "mailbox": {"mailboxes": [{}]},
             "user_code": {"user_codes": [{"management_reports": True}]}}
    estimate = fees.estimate_from_sections(saved, usage)
    assert estimate.usage <= 10 ** fields.MAX_DIGITS and estimate.plan_b >= 0


# ------------------------------------------------------------------ temporary-account form

FORM_TEXT_FIELDS = [f.name for f in dc_fields(TempAccountForm)
                    if f.name not in ("sole_proprietor", "agreed", "terms_version_id", "submission_token")]


@PROPS
@given(st.fixed_dictionaries({name: texts for name in FORM_TEXT_FIELDS}), st.booleans(), st.booleans())
def test_temp_account_form_raises_only_validation_errors(typed, sole_proprietor, agreed):
    form = TempAccountForm(**typed, sole_proprietor=sole_proprietor, agreed=agreed)
    values = own_errors_only(lambda: clean_form(form))
    if values is not None:
        assert all(not has_refused_characters(str(v)) for v in values.values())
        again = clean_form(TempAccountForm(**{**values, "email_confirm": values["email"]},
                                           sole_proprietor=sole_proprietor, agreed=True))
        assert again == values  # the stored form is accepted as it is


# ------------------------------------------------------------------ desk search, notes, comments

@PROPS
@given(st.one_of(texts, st.none()), st.sampled_from(list(q.FIELDS) + ["bogus"]))
def test_desk_search_parser_raises_only_domain_errors(text, field):
    query = own_errors_only(lambda: q.parse(text, field))
    if query is not None:
        assert query.value and not has_refused_characters(query.value)
        assert query.kind in q.FIELDS or query.kind == q.TEXT
        assert len(query.value) <= fields.hard_cap(q.MAX_QUERY_LENGTH)
    code = q.as_code(text or "")
    assert code is None or (code.isascii() and code.isalnum())


@PROPS
@given(st.one_of(texts, st.none()))
def test_note_body_raises_only_validation_errors(body):
    result = own_errors_only(lambda: notes.clean_body(body))
    if result is not None:
        assert 0 < len(result) <= notes.NOTE_MAX and notes.clean_body(result) == result


@PROPS
@given(st.dictionaries(st.one_of(st.sampled_from(SECTION_KEYS), st.text(max_size=8)),
                       st.one_of(texts, st.none()), max_size=4))
def test_review_comments_raise_only_validation_errors(comments):
    cleaned = own_errors_only(lambda: review_actions._clean_comments(comments))
    if cleaned is not None:
        assert cleaned and set(cleaned) <= set(SECTION_KEYS)
        assert all(len(v) <= review_actions.MAX_TEXT and not has_refused_characters(v, multiline=True)
                   for v in cleaned.values())


@PROPS
@given(texts, texts, texts)
def test_reissue_form_raises_only_validation_errors(office_code, email, corporate_number):
    values = own_errors_only(lambda: reissue._clean(office_code, email, corporate_number))
    if values is not None:
        assert all(not has_refused_characters(v) for v in values)


# ------------------------------------------------------------------ dates

@PROPS
@given(st.one_of(st.dates(), st.none()))
@example(date(9999, 12, 30)).via("the 利用開始日 that overflowed")
def test_any_start_date_is_refused_or_gives_every_deadline(day):
    """Was: ValueError (year 10000) in the deadlines for a 利用開始日 near date.max."""
    start = own_errors_only(lambda: review_actions._check_start_date(day))
    if start is not None:
        assert deadlines.system_settings_deadline(start) <= start
        assert deadlines.certificate_deadline(start) > start
        assert deadlines.id_notice_display_until(start) >= start


# ------------------------------------------------------------------ audit

@PROPS
@given(st.dictionaries(st.text(max_size=5), small_scalars, max_size=6),
       st.dictionaries(st.text(max_size=5), small_scalars, max_size=6))
def test_audit_changed_fields_keep_exactly_what_changed(before, after):
    old, new = changed_fields(before, after)
    rebuilt = {k: v for k, v in before.items() if k not in old or k in new} | new
    rebuilt = {k: v for k, v in rebuilt.items() if k in after}
    assert rebuilt == after  # before + the changes gives after
    assert all(before.get(k) != after.get(k) or (k in before) != (k in after) for k in set(old) | set(new))
