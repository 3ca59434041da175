"""Issue 8, items 3 and 6 at the service boundary (SQLite and PostgreSQL): hard caps on what is
typed, rows and attachments; audit keeps changed fields only; NUL / control / format characters and
odd digits end in the field's message, never in DataError, ValueError or OverflowError."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from db.models import Applicant, Attachment, AuditEvent
from services import auth
from services.application.attachments import MAX_FILES, add_attachment
from services.application.read import application_view
from services.application.save import save_draft, save_section
from services.authz import DESK
from services.demo.testdata import complete_sections
from services.desk.search import find_callers
from services.errors import DomainError, ValidationFailed
from services.reissue import request_reissue
from services.temp_accounts import issue_temp_account
from services.uow import UnitOfWork
from tests.factories import (
    CORPORATE_NUMBER,
    PASSWORD,
    make_applicant,
    make_staff,
    section_row,
    started,
    valid_form,
)

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _png(side: int = 8, noise: bool = False) -> bytes:
    image = Image.effect_noise((side, side), 100) if noise else Image.new("L", (side, side), 128)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _version(actor, app_id, key):
    return application_view(actor, app_id).section(key).version


def _refused(call) -> dict:
    with pytest.raises(ValidationFailed) as err:
        call()
    return {k: (e.code, e.params) for k, e in err.value.errors.items()}


def _events(action: str) -> list[tuple[dict, dict]]:
    """(before, after) of each audit event of `action`, oldest first."""
    with UnitOfWork() as u:
        return [(e.before, e.after) for e in u.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


# ------------------------------------------------------------------ item 3: hard caps

def test_a_field_far_beyond_its_maximum_is_refused_and_nothing_is_saved(db):
    """Was: 6.3 million characters kept as typed in a 50-character field, plus audit copies."""
    actor = make_applicant()
    app_id = started(actor)
    version = _version(actor, app_id, "office")
    before = section_row(app_id, "office")
    huge = "株" * 1_000_000
    errors = _refused(lambda: save_section(actor, app_id, "office", {"contractor_name": huge}, version))
    assert errors["contractor_name"] == ("field.too_long", {"max": 50})
    after = section_row(app_id, "office")
    assert after == before and _version(actor, app_id, "office") == version
    assert _events("application.section_saved") == []


def test_a_draft_save_beyond_the_cap_is_refused_too(db):
    actor = make_applicant()
    app_id = started(actor)
    version = _version(actor, app_id, "line")
    errors = _refused(lambda: save_draft(actor, app_id, "line", {"logical_terminal_count": "9" * 10_000}, version))
    assert errors["logical_terminal_count"] == ("field.too_many_digits", {"max_digits": 15})
    assert _events("application.save_draft") == []


def test_within_the_cap_a_too_long_value_is_still_kept_as_typed_for_correction(db):
    actor = make_applicant()
    app_id = started(actor)
    typed = "株" * 120  # over the 50 allowed, under the hard cap (200)
    result = save_section(actor, app_id, "office", {"contractor_name": typed}, _version(actor, app_id, "office"))
    assert result.errors["contractor_name"].code == "field.too_long"
    assert section_row(app_id, "office")["data"]["contractor_name"] == typed


def test_rows_beyond_the_screens_maximum_are_refused(db):
    actor = make_applicant()
    app_id = started(actor)
    row = {"system_category": "海上", "industries": ["通関業"], "id_number_count": 1}
    version = _version(actor, app_id, "user_code")
    before = section_row(app_id, "user_code")
    errors = _refused(lambda: save_section(actor, app_id, "user_code", {"user_codes": [row] * 10_000}, version))
    assert errors["user_codes"] == ("wizard.error.max_rows", {"max": 20})
    assert section_row(app_id, "user_code") == before


def test_a_refused_value_inside_a_row_is_reported_on_that_rows_field(db):
    actor = make_applicant()
    app_id = started(actor)
    rows = [{"installation_site": "本社"}, {"installation_site": "x" * 5000}]
    version = _version(actor, app_id, "logical_terminal")
    errors = _refused(lambda: save_section(actor, app_id, "logical_terminal", {"terminals": rows}, version))
    assert errors == {"terminals.1.installation_site": ("field.too_long", {"max": 200})}


def test_audit_keeps_only_the_changed_fields(db):
    actor = make_applicant()
    app_id = started(actor)
    office = complete_sections("NET")["office"]
    save_section(actor, app_id, "office", office, _version(actor, app_id, "office"))
    save_section(actor, app_id, "office", dict(office, office_name="横浜支店"), _version(actor, app_id, "office"))
    (first_before, first_after), (before, after) = _events("application.section_saved")
    assert before["data"] == {"office_name": office["office_name"]}
    assert after["data"] == {"office_name": "横浜支店"}
    assert after["section"] == "office" and after["status"] == before["status"] == "COMPLETE"
    # The first save records every field it filled in, since each of them changed.
    assert set(first_after["data"]) >= {"connection_type", "security_confirmed"}
    assert set(first_before["data"]) <= set(first_after["data"])


def test_attachment_count_is_capped_per_application(db):
    actor = make_applicant()
    app_id = started(actor)
    png = _png()
    for i in range(MAX_FILES):
        add_attachment(actor, app_id, f"図{i}.png", png)
    with pytest.raises(DomainError) as err:
        add_attachment(actor, app_id, "one-more.png", png)
    assert err.value.code == "wizard.error.too_many_files" and err.value.params == {"max": MAX_FILES}
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(Attachment)) == MAX_FILES


def test_attachment_total_size_is_capped_per_application(db, monkeypatch):
    from services.application import attachments
    big = _png(200, noise=True)  # incompressible: some tens of kilobytes
    monkeypatch.setattr(attachments, "total_limit_bytes", lambda: len(big) * 2 + 10)
    actor = make_applicant()
    app_id = started(actor)
    add_attachment(actor, app_id, "a.png", big)
    add_attachment(actor, app_id, "b.png", big)
    with pytest.raises(DomainError) as err:
        add_attachment(actor, app_id, "c.png", big)
    assert err.value.code == "wizard.error.files_total_too_large"


# ------------------------------------------------------------------ item 6: reachable crashes

@pytest.mark.parametrize("login_id", ["T123456789\x00", "\x00", "a\u202eb", "T" * 100_000],
                         ids=lambda v: repr(v[:16]))
def test_nul_or_control_characters_in_the_login_id_fail_the_login_cleanly(db, login_id):
    """Was: psycopg DataError (NUL) on PostgreSQL, i.e. Streamlit's error page."""
    make_applicant()
    result = auth.authenticate(login_id, PASSWORD)
    assert not result.ok and result.code == auth.INVALID
    assert auth.user_directory_entry(login_id) is None


@pytest.mark.parametrize("text", ["山田\x00", "\x00", "T123\x00456", "abc\u202e", "\x1b[31m"])
def test_nul_or_control_characters_in_the_desk_search_are_refused(db, text):
    desk = make_staff("desk1", DESK)
    with pytest.raises(DomainError) as err:
        find_callers(desk, text)
    assert err.value.code == "desk.search.invalid_chars"


@pytest.mark.parametrize("name", ["diagram\x00.png", "report\u202egnp.png", "a\u200b.png", "tab\there.png"])
def test_nul_control_and_format_characters_in_a_file_name_are_refused(db, name):
    actor = make_applicant()
    app_id = started(actor)
    with pytest.raises(DomainError) as err:
        add_attachment(actor, app_id, name, _png())
    assert err.value.code == "wizard.error.file_name_chars"


def test_nul_in_a_wizard_field_is_refused_with_its_message(db):
    actor = make_applicant()
    app_id = started(actor)
    version = _version(actor, app_id, "office")
    errors = _refused(lambda: save_section(actor, app_id, "office", {"company_name": "山田\x00商事"}, version))
    assert errors["company_name"] == ("field.invalid_chars", {})
    assert section_row(app_id, "office")["data"].get("company_name") != "山田\x00商事"


@pytest.mark.parametrize("typed", ["¹²³", "①", "¹" * 13, "①" * 13, "²" * 13, "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬", "１" * 13,
                                   "7000\x00012050002",
                                   "٣" * 13, "9" * 10_000], ids=lambda v: repr(v[:16]))
def test_odd_digits_in_the_temp_account_corporate_number_give_the_field_message(db, typed):
    """Was: ValueError from int('¹') on the public 仮アカウント page."""
    errors = _refused(lambda: issue_temp_account(None, valid_form(corporate_number=typed)))
    assert set(errors) == {"corporate_number"}
    assert errors["corporate_number"][0] in ("field.corporate_number_format", "field.corporate_number_check",
                                             "field.invalid_chars")
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(Applicant)) == 0


def test_a_valid_corporate_number_typed_in_superscript_is_stored_in_ascii(db):
    result = issue_temp_account(None, valid_form(corporate_number=CORPORATE_NUMBER.translate(SUPERSCRIPT)))
    with UnitOfWork() as u:
        assert u.session.get(Applicant, result.applicant_id).corporate_number == CORPORATE_NUMBER


@pytest.mark.parametrize("typed", ["¹" * 13, "①" * 13, "¹²³", "①", "1\x00"])
def test_odd_digits_in_the_reissue_corporate_number_give_the_field_message(db, typed):
    errors = _refused(lambda: request_reissue("AB12CD34", "boss@example.co.jp", typed))
    assert set(errors) == {"corporate_number"}


@pytest.mark.parametrize("name, value", [("contact_name", "山田\x00"), ("company_name", "A\u202eB"),
                                         ("department", "x" * 100_000), ("phone", "03\x001234\x005678"),
                                         ("email", "a\x00@example.jp")], ids=lambda v: repr(v[:16]))
def test_the_temp_account_form_refuses_nul_format_and_huge_values(db, name, value):
    overrides = {name: value}
    if name == "email":
        overrides["email_confirm"] = value
    errors = _refused(lambda: issue_temp_account(None, valid_form(**overrides)))
    assert name in errors
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(Applicant)) == 0
