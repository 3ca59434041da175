"""Reference data administration (services/reference_data.py) on SQLite and PostgreSQL: an edit
reaches what the applicant's screens read, each save is audited with before/after, a refused save
stores nothing, a value in use is protected, and a second server sees the edit through the token."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from db.engine import get_engine
from db.migrate import upgrade
from db.models import AuditEvent, ReferenceItem
from services import clock, deadlines, reference_data
from services.application import sections
from services.application.fieldspec import Context
from services.audit import AuditAction
from services.authz import ADMIN, REVIEWER
from services.billing import schedule
from services.errors import PermissionDenied, StaleData, ValidationFailed
from services.reference_data import EditRow, ReferenceCache, ReferenceKind
from services.system_settings.sections import survey_forms_for
from services.uow import UnitOfWork
from tests.factories import make_application, make_staff


def _rows(kind: ReferenceKind) -> list[EditRow]:
    """The table as the administration page shows it."""
    return [EditRow(i.name, i.name, i.retired, i.code, i.mailbox, i.survey_forms)
            for i in reference_data.current().items[kind]]


def _token() -> str | None:
    return reference_data.current().token


def _audits() -> list[tuple[str | None, str | None, dict | None, dict | None]]:
    """(who, target, before, after) of each reference-data audit event."""
    with UnitOfWork() as u:
        return [(e.actor_login_id, e.target_type, e.before, e.after) for e in u.session.scalars(select(AuditEvent).where(
            AuditEvent.action == AuditAction.REFERENCE_DATA_CHANGED.value).order_by(AuditEvent.id))]


def _stored(kind: ReferenceKind) -> list[str]:
    with UnitOfWork() as u:
        return list(u.session.scalars(select(ReferenceItem.name).where(ReferenceItem.kind == kind)
                                      .order_by(ReferenceItem.position)))


def _option_values(section_key: str, name: str, ctx: Context = Context()) -> tuple[str, ...]:
    spec = next(f for f in sections.SECTION_BY_KEY[section_key].fields if f.name == name)
    return spec.option_values(ctx)


def _line_type_options() -> tuple[str, ...]:
    return _option_values(sections.LINE, "line_type")


def _category_options() -> tuple[str, ...]:
    user_codes = next(f for f in sections.SECTION_BY_KEY[sections.USER_CODE].fields if f.name == "user_codes")
    return next(f for f in user_codes.row_fields if f.name == "system_category").option_values(Context())


def test_the_migration_stores_the_seed(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(get_engine(url))
    with UnitOfWork(url) as u:
        stored = reference_data._read(u.session)
    assert stored.items == reference_data.seed_data().items
    assert stored.system_categories == ("海上", "航空", "海上・航空共用")
    assert stored.processing_methods("NET") == ("netNACCS", "webNACCS", "ebMS")
    assert stored.review_deadlines["review_service_days"] == 5
    assert stored.industry_settings["航空会社"].survey_forms == ("airline_interface_survey",)


def test_an_emptied_table_reads_as_the_seed(db):
    assert reference_data.current().items == reference_data.seed_data().items


def test_an_added_line_type_reaches_the_wizard_and_is_audited(db):
    admin = make_staff("adm1", ADMIN)
    rows = _rows(ReferenceKind.LINE_TYPE) + [EditRow(None, " 専用回線 20Mbps ")]
    assert reference_data.save_list(admin, ReferenceKind.LINE_TYPE, rows, _token())
    assert _line_type_options()[-1] == "専用回線 20Mbps"  # trimmed, last, offered at once
    assert _stored(ReferenceKind.LINE_TYPE)[-1] == "専用回線 20Mbps"
    assert _audits() == [("adm1", "reference:line_type", {}, {"専用回線 20Mbps": {"position": 7, "retired": False}})]


def test_retiring_stops_offering_and_the_audit_keeps_before_and_after(db):
    admin = make_staff("adm1", ADMIN)
    rows = [EditRow(r.original, r.name, r.original == "航空") for r in _rows(ReferenceKind.SYSTEM_CATEGORY)]
    reference_data.save_list(admin, ReferenceKind.SYSTEM_CATEGORY, rows, _token())
    assert _category_options() == ("海上", "海上・航空共用")
    assert reference_data.current().known(ReferenceKind.SYSTEM_CATEGORY) == ("海上", "航空", "海上・航空共用")
    assert _audits() == [("adm1", "reference:system_category", {"航空": {"position": 1, "retired": False}},
                          {"航空": {"position": 1, "retired": True}})]


@pytest.mark.parametrize(("name", "code"), [
    ("", "reference.error.empty"),
    ("x" * 41, "reference.error.too_long"),
    ("インターネット", "reference.error.duplicate"),
])
def test_a_bad_row_saves_nothing(db, name, code):
    admin = make_staff("adm1", ADMIN)
    rows = [*_rows(ReferenceKind.LINE_TYPE), EditRow(None, "専用回線 30Mbps"), EditRow(None, name)]
    with pytest.raises(ValidationFailed) as refused:
        reference_data.save_list(admin, ReferenceKind.LINE_TYPE, rows, _token())
    assert [e.code for e in refused.value.errors.values()] == [code]
    assert refused.value.errors["9.name"].params["row"] == 9
    assert "専用回線 30Mbps" not in _line_type_options() and _audits() == []


def test_a_value_in_use_is_neither_deleted_nor_renamed_but_can_be_retired(db):
    admin = make_staff("adm1", ADMIN)
    make_application(connection_type="NET")  # its 回線種別 is インターネット
    rows = _rows(ReferenceKind.LINE_TYPE)
    with pytest.raises(ValidationFailed) as refused:
        reference_data.save_list(admin, ReferenceKind.LINE_TYPE, rows[1:], _token())
    assert [e.code for e in refused.value.errors.values()] == ["reference.error.in_use_delete"]
    renamed = [EditRow(rows[0].original, "ネット"), *rows[1:]]
    with pytest.raises(ValidationFailed) as refused:
        reference_data.save_list(admin, ReferenceKind.LINE_TYPE, renamed, _token())
    assert [e.code for e in refused.value.errors.values()] == ["reference.error.in_use_rename"]
    # An unused value may go; the used one is retired.
    kept = [EditRow(rows[0].original, rows[0].name, retired=True), *rows[1:-1]]
    reference_data.save_list(admin, ReferenceKind.LINE_TYPE, kept, _token())
    assert "インターネット" not in _line_type_options() and "広帯域回線" not in _line_type_options()
    assert "インターネット" in reference_data.editable(admin).in_use[ReferenceKind.LINE_TYPE]


def test_industries_keep_their_names_and_survey_forms_change(db):
    admin = make_staff("adm1", ADMIN)
    make_application(industries=("通関業",))
    rows = _rows(ReferenceKind.INDUSTRY)
    with pytest.raises(ValidationFailed) as refused:
        reference_data.save_list(admin, ReferenceKind.INDUSTRY,
                                 [replace(r, name="海貨業者") if r.name == "海貨業" else r for r in rows], _token())
    assert {e.code for e in refused.value.errors.values()} == {"reference.error.industry_fixed"}
    with pytest.raises(ValidationFailed) as refused:
        reference_data.save_list(admin, ReferenceKind.INDUSTRY, [r for r in rows if r.name != "通関業"], _token())
    assert {e.code for e in refused.value.errors.values()} == {"reference.error.in_use_delete"}
    edited = [EditRow(r.original, r.name, r.name == "汎用申請者",
                      survey_forms=("cargo_delivery_survey",) if r.name == "通関業" else r.survey_forms) for r in rows]
    reference_data.save_list(admin, ReferenceKind.INDUSTRY, edited, _token())
    assert survey_forms_for(("通関業",)) == ("cargo_delivery_survey",)
    user_codes = next(f for f in sections.SECTION_BY_KEY[sections.USER_CODE].fields if f.name == "user_codes")
    offered = next(f for f in user_codes.row_fields if f.name == "industries").option_values(Context())
    assert "汎用申請者" not in offered and "通関業" in offered


def test_processing_methods_per_connection_and_mailbox(db):
    admin = make_staff("adm1", ADMIN)
    rows = [*_rows(ReferenceKind.PROCESSING_METHOD), EditRow(None, "API 連携", code="NET", mailbox=True)]
    reference_data.save_list(admin, ReferenceKind.PROCESSING_METHOD, rows, _token())
    assert _option_values(sections.LINE, "processing_methods", Context(connection_type="NET"))[-1] == "API 連携"
    assert sections.SECTION_BY_KEY[sections.MAILBOX].applies(Context(connection_type="NET",
                                                                     processing_methods=("API 連携",)))
    with pytest.raises(ValidationFailed) as refused:
        reference_data.save_list(admin, ReferenceKind.PROCESSING_METHOD,
                                 [EditRow(r.original, r.name, r.code == "GENERAL", r.code, r.mailbox)
                                  for r in _rows(ReferenceKind.PROCESSING_METHOD)], _token())
    assert [e.code for e in refused.value.errors.values()] == ["reference.error.none_offered"]


def test_review_deadlines_in_range_reach_the_deadline_rules(db):
    admin = make_staff("adm1", ADMIN)
    values = dict(reference_data.current().review_deadlines)
    with pytest.raises(ValidationFailed) as refused:
        reference_data.save_deadlines(admin, {**values, "review_service_days": 0, "review_due_soon_days": 2.5},
                                      _token())
    assert set(refused.value.errors) == {"review_service_days", "review_due_soon_days"}
    assert deadlines.service_days() == 5
    reference_data.save_deadlines(admin, {**values, "review_service_days": 7}, _token())
    assert deadlines.service_days() == 7
    assert deadlines.system_settings_deadline(date(2026, 12, 10)) == date(2026, 12, 4)  # 4 business days before
    assert _audits() == [("adm1", "reference:review_deadline", {"review_service_days": {"value": 5}},
                          {"review_service_days": {"value": 7}})]


def test_only_administrators_and_not_from_an_old_page(db):
    admin, reviewer = make_staff("adm1", ADMIN), make_staff("rev1", REVIEWER)
    with pytest.raises(PermissionDenied):
        reference_data.save_list(reviewer, ReferenceKind.LINE_TYPE, _rows(ReferenceKind.LINE_TYPE), _token())
    with pytest.raises(PermissionDenied):
        reference_data.editable(reviewer)
    old = _token()
    reference_data.save_list(admin, ReferenceKind.LINE_TYPE, [*_rows(ReferenceKind.LINE_TYPE), EditRow(None, "A")], old)
    with pytest.raises(StaleData):  # a second administrator's page was drawn before that save
        reference_data.save_list(admin, ReferenceKind.LINE_TYPE, [*_rows(ReferenceKind.LINE_TYPE), EditRow(None, "B")],
                                 old)
    assert "B" not in _line_type_options()


def test_a_second_server_sees_the_edit_after_its_version_check(db):
    admin = make_staff("adm1", ADMIN)
    server_a, server_b = ReferenceCache(db, check_seconds=0), ReferenceCache(db, check_seconds=3600)
    assert "衛星回線" not in server_a.get().line_types and "衛星回線" not in server_b.get().line_types
    # The edit is saved by a third process (this one's own copy, which the save drops).
    reference_data.save_list(admin, ReferenceKind.LINE_TYPE, [*_rows(ReferenceKind.LINE_TYPE), EditRow(None, "衛星回線")],
                             _token())
    assert "衛星回線" in server_a.get().line_types          # checked the token: reloaded
    assert "衛星回線" not in server_b.get().line_types      # within its check interval: its copy
    server_b._check_seconds = 0
    assert "衛星回線" in server_b.get().line_types


def test_an_unchanged_token_reads_no_rows_again(db):
    server = ReferenceCache(db, check_seconds=0)
    first = server.get()
    assert server.get() is first  # the token matched: the same copy, no reload


def test_fee_schedule_rows_added_in_one_transaction_with_before_and_after(db):
    admin = make_staff("adm1", ADMIN)
    values = {k: v for k, v in schedule.in_force().items()}
    with pytest.raises(ValidationFailed) as refused:
        schedule.add_versions(admin, [(date(2030, 1, 1), {**values, "basic_per_unit": 6000}),
                                      (date(2030, 2, 1), {**values, "rate_a": -1})])
    assert list(refused.value.errors) == ["2.rate_a"]
    assert [v.valid_from for v in schedule.versions(admin)] == []  # nothing of the two stored
    schedule.add_versions(admin, [(date(2030, 1, 1), {**values, "basic_per_unit": 6000})])
    assert schedule.in_force(date(2030, 1, 15))["basic_per_unit"] == 6000
    with UnitOfWork() as u:
        event = u.session.scalars(select(AuditEvent).where(
            AuditEvent.action == AuditAction.FEE_SCHEDULE_ADDED.value)).one()
        assert event.before["basic_per_unit"] == 5000 and event.after["basic_per_unit"] == 6000
        assert u.session.scalar(select(func.count()).select_from(ReferenceItem)) == 0  # fee schedule apart


def _licensing_customs() -> tuple[str, ...]:
    from services.application.forms import get_section
    from services.system_settings.sections import screens
    spec = next(f for f in get_section(screens().industry_section["通関業"]).fields if f.name == "licensing_customs")
    return spec.option_values(Context(industries=("通関業",)))


def test_a_select_field_of_a_system_settings_tab_offers_the_edited_choices(db):
    admin = make_staff("adm1", ADMIN)
    choices = list(_licensing_customs())
    assert choices[0] == "函館税関"
    with pytest.raises(ValidationFailed) as refused:
        reference_data.save_field_options(admin, "通関業", "licensing_customs", [*choices, "東京税関"], _token())
    assert [e.code for e in refused.value.errors.values()] == ["reference.error.duplicate"]
    reference_data.save_field_options(admin, "通関業", "licensing_customs", [*choices[1:], "札幌税関"], _token())
    assert _licensing_customs() == (*choices[1:], "札幌税関")
    [(_who, target, before, after)] = _audits()
    assert target == "reference:industry" and before["通関業"]["survey_forms"] == []
    assert "options.licensing_customs" not in before["通関業"]
    assert after["通関業"]["options.licensing_customs"][-1] == "札幌税関"
    # The industry table saved afterwards keeps the choices.
    reference_data.save_list(admin, ReferenceKind.INDUSTRY, _rows(ReferenceKind.INDUSTRY), _token())
    assert _licensing_customs()[-1] == "札幌税関"


def test_a_choice_an_application_holds_is_not_removed(db):
    from services.system_settings.sections import screens
    admin = make_staff("adm1", ADMIN)
    app_id, _applicant = make_application(industries=("通関業",))
    with UnitOfWork() as u:  # a システム設定申込's 通関業 tab that chose 東京税関
        from db.models import ApplicationSection
        u.session.add(ApplicationSection(application_id=app_id, section_key=screens().industry_section["通関業"],
                                         data={"licensing_customs": "東京税関"}, status="PARTIAL",
                                         updated_at=clock.now()))
        u.commit()
    choices = [c for c in _licensing_customs() if c != "東京税関"]
    with pytest.raises(ValidationFailed) as refused:
        reference_data.save_field_options(admin, "通関業", "licensing_customs", choices, _token())
    assert [e.code for e in refused.value.errors.values()] == ["reference.error.in_use_delete"]
    assert "東京税関" in _licensing_customs() and _audits() == []


def test_a_retired_value_is_refused_at_the_next_save_of_a_draft_and_an_added_one_accepted(db):
    from services.application.read import application_view
    from services.application.save import save_section
    from tests.factories import fill_all, make_applicant, section_row, started
    admin = make_staff("adm1", ADMIN)
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "NET")  # 回線種別 インターネット
    rows = [EditRow(r.original, r.name, r.name == "インターネット") for r in _rows(ReferenceKind.LINE_TYPE)]
    reference_data.save_list(admin, ReferenceKind.LINE_TYPE, [*rows, EditRow(None, "衛星回線")], _token())
    line = dict(section_row(app_id, sections.LINE)["data"])
    result = save_section(actor, app_id, sections.LINE, line, application_view(actor, app_id).section("line").version)
    assert "line_type" in result.errors and result.status == sections.PARTIAL
    result = save_section(actor, app_id, sections.LINE, {**line, "line_type": "衛星回線"},
                          application_view(actor, app_id).section("line").version)
    assert result.errors == {} and section_row(app_id, sections.LINE)["data"]["line_type"] == "衛星回線"
