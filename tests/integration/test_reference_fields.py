"""A 業種's システム設定申込 fields and an added 業種, edited as reference data (services.reference_fields,
services.reference_data.save_list), on SQLite and PostgreSQL: the tabs are built from the data in
force, so an added 業種 or field shows on the next read; a required change is enforced on submit; a
retired field is not asked any more but kept where an application holds it; a refused table saves
nothing; every save is audited with before/after."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from db.models import AuditEvent
from services import reference_data
from services.application.read import application_view
from services.application.save import save_section
from services.application.submit import submit_application
from services.audit import AuditAction
from services.authz import ADMIN, Actor
from services.errors import ValidationFailed
from services.reference_data import EditRow, ReferenceKind
from services.reference_fields import FieldRow, rows_of, save_fields
from services.system_settings import start
from services.system_settings.sections import context_of, screens
from services.uow import UnitOfWork
from tests.factories import fill_system_settings, make_office, make_staff, version_of

SHIP = "ss_shipping_line"


@pytest.fixture
def admin(db) -> Actor:
    return make_staff("adm-fields", ADMIN)


def _token() -> str | None:
    return reference_data.current().token


def _fields(industry: str) -> list[FieldRow]:
    return rows_of(reference_data.current(), industry)


def _audits() -> list[tuple[dict | None, dict | None]]:
    with UnitOfWork() as u:
        return [(e.before, e.after) for e in u.session.scalars(select(AuditEvent).where(
            AuditEvent.action == AuditAction.REFERENCE_DATA_CHANGED.value).order_by(AuditEvent.id))]


def _new_field(**overrides) -> FieldRow:
    values = dict(original=None, name="vessel_count", label_ja="運航隻数", label_en="Vessels operated",
                  kind="int", required=True, max_len=100)
    return FieldRow(**(values | overrides))


def _started(industries=("船会社",)) -> tuple[Actor, int]:
    office = make_office([industries])
    return office.actor, start.start_system_settings(office.actor, office.applicant_id, office.user_codes[0])


def test_an_added_field_is_shown_validated_labelled_and_audited(admin):
    before = _fields("船会社")
    assert save_fields(admin, "船会社", [*before, _new_field()], _token())
    section = next(s for s in screens().sections if s.key == SHIP)
    assert [f.name for f in section.fields] == [*(r.name for r in before), "vessel_count"]
    labels = reference_data.current().labels
    assert labels[f"wizard.field.{SHIP}.vessel_count"] == {"ja": "運航隻数", "en": "Vessels operated"}
    assert f"wizard.field.{SHIP}.shipping_line_code" not in labels  # the locale file's label stays the source
    office, app_id = _started()
    version = application_view(office, app_id).section(SHIP).version
    result = save_section(office, app_id, SHIP, {"shipping_line_code": "MSC1", "vessel_count": "十"}, version)
    assert result.errors["vessel_count"].code == "wizard.error.integer" and result.status == "PARTIAL"
    result = save_section(office, app_id, SHIP, {"shipping_line_code": "MSC1", "vessel_count": "12"}, result.version)
    assert result.data["vessel_count"] == 12 and result.status == "COMPLETE"
    [(old, new)] = _audits()
    assert "fields" not in old["船会社"] and new["船会社"]["fields"][-1]["name"] == "vessel_count"


def test_required_changed_is_enforced_on_submit(admin):
    rows = [replace(r, required=True) if r.name == "customs_office_code" else r for r in _fields("通関業")]
    save_fields(admin, "通関業", rows, _token())
    office, app_id = _started(("通関業",))
    fill_system_settings(office, app_id)  # fills the required fields as the tab now defines them
    data = dict(application_view(office, app_id).data_of("ss_customs_broker"), customs_office_code="")
    save_section(office, app_id, "ss_customs_broker", data, application_view(office, app_id).section(
        "ss_customs_broker").version)
    with pytest.raises(ValidationFailed) as refused:
        submit_application(office, app_id, version_of(app_id))
    assert refused.value.errors["ss_customs_broker.customs_office_code"].code == "field.required"


def test_a_retired_field_is_not_asked_but_kept_where_an_application_holds_it(admin):
    office, held = _started(("通関業",))
    view = application_view(office, held)
    save_section(office, held, "ss_customs_broker", {"broker_licence_number": "A1", "customs_office_code": "1A2B"},
                 view.section("ss_customs_broker").version)
    rows = _fields("通関業")
    with pytest.raises(ValidationFailed) as refused:  # it holds data: not deleted
        save_fields(admin, "通関業", [r for r in rows if r.name != "customs_office_code"], _token())
    assert set(refused.value.errors) == {"deleted.customs_office_code"}
    save_fields(admin, "通関業", [replace(r, retired=r.name == "customs_office_code") for r in rows], _token())
    section = next(s for s in screens().sections if s.key == "ss_customs_broker")
    spec = next(f for f in section.fields if f.name == "customs_office_code")
    ctx = context_of({}, "|通関業|")
    assert not spec.required
    assert not spec.applies({}, ctx)  # a new application is not asked
    assert spec.applies({"customs_office_code": "1A2B"}, ctx)  # one holding a value still shows it
    assert application_view(office, held).data_of("ss_customs_broker")["customs_office_code"] == "1A2B"
    _other, fresh = _started(("通関業",))
    fill_system_settings(_other, fresh)
    submit_application(_other, fresh, version_of(fresh))  # submitted without the retired field


def test_a_refused_table_saves_nothing(admin):
    rows = _fields("船会社")
    token = _token()
    bad = [*rows, _new_field(name="Bad-Key", label_ja="", label_en="x*y", kind="select", options=()),
           _new_field(name=rows[0].name, kind="text", options=("a",), max_len=0)]
    with pytest.raises(ValidationFailed) as refused:
        save_fields(admin, "船会社", bad, token)
    n = len(rows)
    codes = {k: e.code for k, e in refused.value.errors.items()}
    assert codes == {f"{n + 1}.name": "reference.error.field_key", f"{n + 1}.label_ja": "reference.error.label_empty",
                     f"{n + 1}.label_en": "reference.error.label_chars",
                     f"{n + 1}.options": "reference.error.options_required",
                     f"{n + 2}.name": "reference.error.duplicate", f"{n + 2}.max_len": "reference.error.max_len",
                     f"{n + 2}.options": "reference.error.options_select_only"}
    with pytest.raises(ValidationFailed) as refused:
        save_fields(admin, "船会社", [replace(r, required=False) for r in rows], token)
    assert set(refused.value.errors) == {"offered."}
    assert _token() == token and _audits() == [] and _fields("船会社") == rows


def test_a_key_or_kind_held_by_an_application_does_not_change(admin):
    office, app_id = _started()
    save_section(office, app_id, SHIP, {"shipping_line_code": "MSC1"},
                 application_view(office, app_id).section(SHIP).version)
    row, scac = _fields("船会社")
    with pytest.raises(ValidationFailed) as refused:
        save_fields(admin, "船会社", [replace(row, name="carrier_code", kind="text"), scac], _token())
    assert {e.code for e in refused.value.errors.values()} == {"reference.error.field_key_in_use",
                                                               "reference.error.field_kind_in_use"}
    # Labels and the length may change; the new label is what the tab shows.
    # An unused key may still change; labels and the length may change; the tab shows the new label.
    save_fields(admin, "船会社", [replace(row, label_ja="船会社コード（NACCS）", max_len=6),
                                 replace(scac, name="scac")], _token())
    assert reference_data.current().labels[f"wizard.field.{SHIP}.shipping_line_code"]["ja"] == "船会社コード（NACCS）"
    assert [(f.name, f.max_len) for f in next(s for s in screens().sections if s.key == SHIP).fields] == \
        [("shipping_line_code", 6), ("scac", 4)]


def test_an_added_industry_gets_a_tab_with_its_fields_for_a_new_code(admin):
    rows = [EditRow(i.name, i.name, i.retired, i.code, i.mailbox, i.survey_forms)
            for i in reference_data.current().items[ReferenceKind.INDUSTRY]]
    reference_data.save_list(admin, ReferenceKind.INDUSTRY,
                             [*rows, EditRow(None, "倉庫業", survey_forms=("cargo_delivery_survey",))], _token())
    assert "倉庫業" in reference_data.current().industries
    settings = reference_data.current().industry_settings["倉庫業"]
    assert settings.key == "industry_1" and settings.fields == ()
    assert "ss_industry_1" not in {s.key for s in screens().sections}  # no tab before it has a field
    save_fields(admin, "倉庫業", [_new_field(name="warehouse_code", label_ja="倉庫コード", label_en="Warehouse code",
                                            kind="code", max_len=6),
                                 _new_field(name="size", label_ja="規模", label_en="Size", kind="select",
                                            options=("小", "中", "大"), required=False)], _token())
    labels = reference_data.current().labels
    assert labels["wizard.section.ss_industry_1"]["ja"] == "倉庫業"
    office, app_id = _started(("倉庫業", "通関業"))
    view = application_view(office, app_id)
    assert [s.key for s in view.sections] == ["ss_contact", "ss_name", "ss_customs_broker", "ss_industry_1",
                                              "review_screen"]
    result = save_section(office, app_id, "ss_industry_1", {"warehouse_code": "ｗｈ１", "size": "特大"},
                          view.section("ss_industry_1").version)
    assert result.data["warehouse_code"] == "WH1" and "size" in result.errors
    with pytest.raises(ValidationFailed) as refused:
        submit_application(office, app_id, version_of(app_id))
    assert refused.value.errors["ss_industry_1.cargo_delivery_survey"].code == \
        "system_settings.error.survey_form_required"
    with pytest.raises(ValidationFailed) as renamed:
        reference_data.save_list(admin, ReferenceKind.INDUSTRY,
                                 [*rows, EditRow("倉庫業", "倉庫業者")], _token())
    assert {e.code for e in renamed.value.errors.values()} == {"reference.error.industry_fixed"}
