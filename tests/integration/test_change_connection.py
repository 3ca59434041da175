"""変更申込 adding the other 接続形態 (SPEC §2.6): a netNACCS office adds 一般 NACCS and then holds
both — the 一般 NACCS rules apply (回線工事, システム構成図), the 処理方式 of both kinds are offered,
approval makes the contract hold both, the reviewers' filters find it under either kind, and the
guidance and the desk keep the netNACCS certificate deadline. A 新規利用申込 still chooses one."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from services import deadlines
from services.application.connection import ConnectionType, requires_line_work, uses_general, uses_net
from services.application.read import application_view
from services.application.sections import context_of
from services.application.start import start_application
from services.application.submit import submit_application
from services.change.read import change_summary
from services.change.start import start_change
from services.contract import Version, contract, contract_history, net_since
from services.desk.card import CardDeadline, caller_card
from services.errors import ValidationFailed
from services.guidance import guidance
from services.reference_data import current
from services.review.queue import QueueFilters, list_queue
from services.workflow import ApplicationStatus
from tests.change_helpers import add_general, approve, first_month, save
from tests.factories import make_applicant, make_office, make_staff, version_of


def test_both_uses_each_kind_and_offers_both_kinds_methods(db):
    assert uses_net(ConnectionType.BOTH) and uses_general(ConnectionType.BOTH)
    assert uses_net("NET") and not uses_general("NET") and not uses_net(None)
    methods = current().processing_methods(ConnectionType.BOTH)
    assert set(methods) == set(current().processing_methods("NET")) | set(current().processing_methods("GENERAL"))
    ctx = context_of({"office": {"connection_type": "BOTH"}, "line": {"processing_methods": ["netNACCS", "EDIFACT"]}})
    assert ctx.processing_methods == ("netNACCS", "EDIFACT") and requires_line_work(ctx.connection_type)


def test_a_new_usage_application_chooses_one_connection_type_only(db):
    temp = make_applicant("T777100001")
    app_id = start_application(temp, temp.applicant_id, False)
    result = save(temp, app_id, "office", {"connection_type": "BOTH"})
    assert "connection_type" in result.errors  # not one of its choices: kept to correct, never submitted
    with pytest.raises(ValidationFailed) as refused:
        submit_application(temp, app_id, version_of(app_id))
    assert refused.value.errors["office.connection_type"].code == result.errors["connection_type"].code


def test_adding_general_requires_its_line_work_and_diagram(db):
    office = make_office()
    app_id = add_general(office, diagram=False, line_work=False)
    view = application_view(office.actor, app_id)
    assert "line_installation" in [s.key for s in view.sections]  # listed once 一般 NACCS is added
    with pytest.raises(ValidationFailed) as refused:
        submit_application(office.actor, app_id, version_of(app_id))
    assert "office.system_diagram" in refused.value.errors
    assert any(k.startswith("line_installation.") for k in refused.value.errors)


def test_an_office_that_holds_general_is_not_asked_for_the_diagram_again(db):
    office = make_office()
    added = add_general(office)
    submit_application(office.actor, added, version_of(added))
    approve(added)
    app_id = start_change(office.actor, office.applicant_id, ["office"], first_month())
    data = dict(application_view(office.actor, app_id).data_of("office"))
    save(office.actor, app_id, "office", {**data, "office_phone": "03-9999-0000"})
    submit_application(office.actor, app_id, version_of(app_id))  # no システム構成図 of its own
    assert application_view(office.actor, app_id).status == ApplicationStatus.SUBMITTED


def test_the_certificate_deadline_runs_from_the_day_netnaccs_was_added():
    def version(day, conn):
        return Version(day, 1, "CHANGE", {"office": {"connection_type": conn}}, conn)
    start, added = date(2027, 1, 10), date(2027, 6, 1)
    history = [version(start, "GENERAL"), version(added, "BOTH")]
    assert net_since(history, date(2027, 5, 31)) is None
    assert net_since(history, added) == added
    assert net_since([version(start, "NET"), version(added, "BOTH")], added) == start
    assert net_since([version(start, "NET")], date(2026, 12, 1)) == start  # before the 利用開始日


def test_approval_makes_the_contract_hold_both_and_the_queue_finds_it_under_either(db):
    office = make_office()
    app_id = add_general(office)
    submit_application(office.actor, app_id, version_of(app_id))
    summary = change_summary(office.actor, app_id)
    assert ("office", "connection_type", "NET", "BOTH") in [(c.section_key, c.field, c.before, c.after)
                                                           for c in summary.changes]
    assert summary.contracted_connection == "NET"
    reviewer = make_staff("conn-rev", "reviewer")
    for kind in ("NET", "GENERAL", "BOTH"):
        for statuses in ((), ("SUBMITTED", "IN_REVIEW")):  # over the whole table, and the open index
            _, rows = list_queue(reviewer, QueueFilters(statuses=statuses, connection_type=kind))
            assert app_id in [r.id for r in rows], (kind, statuses)
    result = approve(app_id, reviewer)
    after = contract_history(office.actor, office.applicant_id, result.start_date).in_force
    assert after is not None and after.sections["office"]["connection_type"] == "BOTH"
    assert "line_installation" in after.sections
    before = contract_history(office.actor, office.applicant_id, result.start_date - timedelta(days=1)).in_force
    assert before is not None and before.sections["office"]["connection_type"] == "NET"


def test_a_net_only_application_is_not_found_under_general(db):
    office = make_office()
    reviewer = make_staff("conn-rev2", "reviewer")
    _, rows = list_queue(reviewer, QueueFilters(connection_type="GENERAL"))
    assert office.new_usage_id not in [r.id for r in rows]
    _, rows = list_queue(reviewer, QueueFilters(connection_type="NET"))
    assert office.new_usage_id in [r.id for r in rows]


def test_guidance_and_desk_keep_the_certificate_deadline_of_an_office_holding_both(db, monkeypatch):
    office = make_office()
    app_id = add_general(office)
    submit_application(office.actor, app_id, version_of(app_id))
    result = approve(app_id)
    start = contract(office.actor, office.applicant_id).start_date
    due = {d.key: d.due for d in guidance(office.actor, office.applicant_id).deadlines}
    assert due["certificate"] == deadlines.certificate_deadline(start)
    card = caller_card(make_staff("conn-desk", "desk"), office.applicant_id)
    assert CardDeadline.CERTIFICATE in {d.kind for d in card.deadlines}
    assert application_view(office.actor, app_id).status == ApplicationStatus.APPROVED
    assert result.start_date is not None
