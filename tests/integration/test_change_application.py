"""変更申込: only the chosen parts change, the contract keeps its history (in force on any date),
利用者コード are issued and retired and never reused, the guidance asks for new codes' settings."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import Application, UserCode
from services import codes
from services.application.read import application_view
from services.application.save import save_section
from services.application.submit import submit_application
from services.change.diff import ChangeKind
from services.change.parts import parse_month
from services.change.read import change_summary
from services.change.start import open_change, start_change
from services.contract import contract, contract_history
from services.errors import DomainError, ValidationFailed
from services.guidance import GuidanceTask, guidance
from services.review.detail import application_detail
from services.uow import UnitOfWork
from services.workflow import ApplicationKind, ApplicationStatus
from tests.change_helpers import add_industry_and_code, approve, code_rows, first_month, save
from tests.factories import at_jst, make_applicant, make_office, make_staff, version_of


def _live_codes(applicant_id: int) -> list[UserCode]:
    with UnitOfWork() as u:
        rows = list(u.session.scalars(select(UserCode).where(UserCode.applicant_id == applicant_id)
                                      .order_by(UserCode.id)))
        u.session.expunge_all()
        return rows


def test_only_the_chosen_parts_are_listed_and_editable(db):
    office = make_office()
    app_id = start_change(office.actor, office.applicant_id, ["fee_plan"], first_month())
    view = application_view(office.actor, app_id)
    assert view.kind == ApplicationKind.CHANGE
    assert [s.key for s in view.sections] == ["fee_plan", "review_screen"]
    assert view.data_of("fee_plan") == {"expected_monthly_usage": 30000, "plan": "B"}  # prefilled
    with pytest.raises(DomainError) as refused:
        save_section(office.actor, app_id, "office", {"company_name": "別会社"}, 1)  # its first version
    assert refused.value.code == "change.error.part_not_chosen"
    with pytest.raises(DomainError):  # one open 変更申込 at a time
        start_change(office.actor, office.applicant_id, ["office"], first_month())
    assert open_change(office.actor, office.applicant_id).application_id == app_id


def test_a_change_that_changes_nothing_or_breaks_a_rule_is_not_submitted(db):
    office = make_office()
    app_id = start_change(office.actor, office.applicant_id, ["fee_plan"], first_month())
    with pytest.raises(ValidationFailed) as nothing:
        submit_application(office.actor, app_id, version_of(app_id))
    assert set(nothing.value.errors) == {"change_scope.parts"}
    result = save(office.actor, app_id, "fee_plan", {"expected_monthly_usage": "abc", "plan": "A"})
    assert "expected_monthly_usage" in result.errors  # the new usage application's own rule
    with pytest.raises(ValidationFailed) as broken:
        submit_application(office.actor, app_id, version_of(app_id))
    assert "fee_plan.expected_monthly_usage" in broken.value.errors


def test_start_checks_the_parts_the_month_and_the_login(db):
    office = make_office()
    with pytest.raises(ValidationFailed) as bad:
        start_change(office.actor, office.applicant_id, [], "1999-01")
    assert set(bad.value.errors) == {"parts", "effective_month"}
    temp = make_applicant("T777000001")
    with pytest.raises(DomainError):  # a 仮ログイン ID never enters a 変更申込
        start_change(temp, temp.applicant_id, ["fee_plan"], first_month())


def test_approval_changes_only_the_chosen_parts_from_the_effective_month(db):
    office = make_office(user_codes=(("通関業",),))
    app_id = add_industry_and_code(office)
    summary = change_summary(office.actor, app_id)
    assert [(c.kind, c.field, c.row) for c in summary.changes] == [
        (ChangeKind.CHANGED, "industries", office.user_codes[0]), (ChangeKind.ADDED, "user_codes", "#1")]
    assert summary.changes[0].before == ["通関業"] and summary.changes[0].after == ["通関業", "海貨業"]
    reviewer = make_staff("chg-reviewer", "reviewer")
    detail = application_detail(reviewer, app_id)
    assert detail.kind == ApplicationKind.CHANGE and detail.status == ApplicationStatus.SUBMITTED
    result = approve(app_id, reviewer)
    effective = parse_month(first_month())
    assert result.start_date == effective and len(result.user_ids) == 1
    history = contract_history(office.actor, office.applicant_id)
    assert [v.kind for v in history.versions] == [ApplicationKind.NEW_USAGE, ApplicationKind.CHANGE]
    before, after = history.versions
    assert after.valid_from == effective
    # every screen but 利用者コード is as contracted
    assert {k: v for k, v in after.sections.items() if k != "user_code"} == \
        {k: v for k, v in before.sections.items() if k != "user_code"}
    assert [r["industries"] for r in after.sections["user_code"]["user_codes"]] == [["通関業", "海貨業"], ["通関業"]]
    assert [r["industries"] for r in before.sections["user_code"]["user_codes"]] == [["通関業"]]
    # in force on any date: before the effective month the first version, from it the new one
    day_before = effective - timedelta(days=1)
    assert contract_history(office.actor, office.applicant_id, day_before).in_force == before
    assert contract_history(office.actor, office.applicant_id, effective).in_force == after
    assert contract_history(office.actor, office.applicant_id, effective + timedelta(days=400)).in_force == after
    # the diff of the decided change still reads against the version it replaced
    assert len(change_summary(office.actor, app_id).changes) == 2
    # the guidance asks for the new code's system settings (and the first code's new 業種)
    new_code = after.sections["user_code"]["user_codes"][1]["user_code"]
    lines = [(t.user_code, t.done) for t in guidance(office.actor, office.applicant_id).tasks
             if t.key == GuidanceTask.SYSTEM_SETTINGS_APPLICATION]
    assert (new_code, False) in lines and len(lines) == 2
    assert contract(office.actor, office.applicant_id).registrations.columns == ("名称", "通関業", "海貨業")


def test_deleted_codes_are_retired_on_the_effective_day_and_never_reused(db, monkeypatch):
    office = make_office(user_codes=(("通関業",), ("船会社",)))
    app_id = start_change(office.actor, office.applicant_id, ["user_codes"], first_month())
    rows = code_rows(office.actor, app_id)
    rows[1]["retire"] = True
    save(office.actor, app_id, "user_code", {"user_codes": rows})
    submit_application(office.actor, app_id, version_of(app_id))
    approve(app_id)
    retired = office.user_codes[1]
    effective = parse_month(first_month())
    row = next(c for c in _live_codes(office.applicant_id) if c.user_code == retired)
    assert row.retired_on == effective
    # in the ○/× table until that day, gone from it from then on; 契約内容確認 keeps listing it with
    # the day it left (its history stays readable)
    before = contract(office.actor, office.applicant_id)
    assert retired in [r.user_code for r in before.registrations.rows]
    assert {c.user_code: c.retired_on for c in before.user_codes}[retired] == effective
    with at_jst(effective, 1):
        after = contract(office.actor, office.applicant_id)
        assert [r.user_code for r in after.registrations.rows] == [office.user_codes[0]]
        assert {c.user_code: c.retired_on for c in after.user_codes} == {office.user_codes[0]: None, retired: effective}
    # the retired code is still issued: the generator skips it when it comes up again
    proposals = iter([retired, "ZZZZZ"])
    monkeypatch.setattr(codes, "_random", lambda *_a, **_k: next(proposals))
    with UnitOfWork() as u:
        assert codes.new_user_code(u.session) == "ZZZZZ"


def test_a_returned_change_is_corrected_and_approved_through_the_same_queue(db):
    from services.review import actions
    office = make_office()
    app_id = add_industry_and_code(office)
    reviewer = make_staff("chg-rev-ret", "reviewer")
    actions.claim(reviewer, app_id, version_of(app_id))
    actions.return_for_correction(reviewer, app_id, {"user_code": "業種を確認してください。"}, version_of(app_id))
    with UnitOfWork() as u:
        assert u.session.get(Application, app_id).status == ApplicationStatus.RETURNED
    submit_application(office.actor, app_id, version_of(app_id))
    approve(app_id)
    assert len(contract_history(office.actor, office.applicant_id).versions) == 2


def test_billing_uses_the_terms_in_force_each_month(db):
    from services.billing.charges import statement
    office = make_office()  # プラン B
    app_id = start_change(office.actor, office.applicant_id, ["fee_plan"], first_month())
    save(office.actor, app_id, "fee_plan", {"expected_monthly_usage": 30000, "plan": "A"})
    submit_application(office.actor, app_id, version_of(app_id))
    approve(app_id)
    effective = parse_month(first_month())
    assert statement(office.actor, office.applicant_id).plan == "B"  # not yet in force
    with at_jst(effective + timedelta(days=3)):
        later = statement(office.actor, office.applicant_id)
    lines = {line.month: line for line in later.months}
    assert later.plan == "A"
    assert lines[effective].charge.basic > 0                          # プラン A: basic fee per unit
    assert all(line.charge.basic == 0 for m, line in lines.items() if m < effective)  # プラン B before


def test_the_payment_method_is_changed_through_the_billing_part(db):
    office = make_office()
    app_id = start_change(office.actor, office.applicant_id, ["billing"], first_month())
    assert [s.key for s in application_view(office.actor, app_id).sections] == ["billing_address", "review_screen"]
    result = save(office.actor, app_id, "billing_address", {"same_as_office": True, "payment_method": "口座振替"})
    assert not result.errors
    assert [(c.field, c.before, c.after) for c in change_summary(office.actor, app_id).changes] == [
        ("payment_method", None, "口座振替")]
    bad = save(office.actor, app_id, "billing_address", {"same_as_office": True, "payment_method": "現金"})
    assert "payment_method" in bad.errors  # only 口座振替 / 銀行振込


def test_resume_opens_the_screen_in_progress_and_then_the_one_to_correct(db):
    from services.authz import REVIEWER
    from services.change.read import resume_screen
    from services.review import actions
    office = make_office()
    app_id = start_change(office.actor, office.applicant_id, ["office", "fee_plan"], first_month())
    assert resume_screen(application_view(office.actor, app_id)) == "office"  # nothing typed yet
    assert not save(office.actor, app_id, "fee_plan", {"expected_monthly_usage": 30000, "plan": "A"}).errors
    assert resume_screen(application_view(office.actor, app_id)) == "fee_plan"  # the one saved last
    submit_application(office.actor, app_id, version_of(app_id))
    reviewer = make_staff("chg-resume-rev", REVIEWER)
    actions.claim(reviewer, app_id, version_of(app_id))
    actions.return_for_correction(reviewer, app_id, {"office": "住所を確認してください。"}, version_of(app_id))
    assert resume_screen(application_view(office.actor, app_id)) == "office"  # what the reviewer asked
