"""WizardNavigator: the wizard's moves, shown versions and dirty check, without Streamlit or a database."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from services.application.navigator import WizardNavigator, WizardState
from services.application.read import ApplicationView, SectionView
from services.application.save import SaveResult
from services.application.sections import (
    APPLICANT_CONTACT,
    LINE_INSTALLATION,
    MAILBOX,
    OFFICE,
    REVIEW_SCREEN,
    SECTIONS,
    USER_CODE,
)
from services.errors import FieldError

NOW = datetime(2026, 12, 1, tzinfo=UTC)
NOT_FOR_NET = {LINE_INSTALLATION, MAILBOX}


def _view(*, version: int = 7, office: dict | None = None) -> ApplicationView:
    sections = tuple(
        SectionView(key=s.key, label_key=s.label_key,
                    data=(office or {"company_name": "海洋物流"}) if s.key == OFFICE else {},
                    status="EMPTY", version=10 + i, applies=s.key not in NOT_FOR_NET, offers_draft_save=True)
        for i, s in enumerate(SECTIONS))
    return ApplicationView(id=1, applicant_id=2, kind="NEW_USAGE", status="DRAFT", ref_no=None, version=version,
                           shared_use=False, connection_type="NET", industries=None, created_at=NOW,
                           updated_at=NOW, submitted_at=None, first_submitted_at=None, sections=sections,
                           attachments=())


def _version_of(view: ApplicationView, key: str) -> int:
    return view.section(key).version


def test_starts_on_the_first_screen_and_remembers_its_version():
    view = _view()
    nav = WizardNavigator(view)
    assert nav.current == APPLICANT_CONTACT and nav.previous is None and nav.next == OFFICE
    assert nav.expected_version == _version_of(view, APPLICANT_CONTACT)
    assert nav.state().shown == {APPLICANT_CONTACT: _version_of(view, APPLICANT_CONTACT)}


def test_a_screen_that_does_not_apply_falls_back_to_the_first():
    assert WizardNavigator(_view(), WizardState(current=LINE_INSTALLATION)).current == APPLICANT_CONTACT
    assert WizardNavigator(_view(), WizardState(current="no_such_screen")).current == APPLICANT_CONTACT


def test_previous_and_next_skip_screens_that_do_not_apply():
    nav = WizardNavigator(_view(), WizardState(current="line"))
    assert nav.previous == USER_CODE and nav.next == "logical_terminal"
    last = WizardNavigator(_view(), WizardState(current=REVIEW_SCREEN))
    assert last.next is None and last.previous == "billing_address"


def test_the_shown_version_survives_a_newer_stored_one():
    """A second tab saved meanwhile: this tab still saves against what it showed (and is refused)."""
    view = _view()
    first = WizardNavigator(view, WizardState(current=OFFICE))
    newer = replace(view, sections=tuple(replace(s, version=s.version + 1) for s in view.sections))
    again = WizardNavigator(newer, first.state())
    assert again.expected_version == _version_of(view, OFFICE)
    assert again.section.version == _version_of(view, OFFICE)
    assert again.section.data == newer.section(OFFICE).data


def test_review_screen_uses_the_application_version():
    nav = WizardNavigator(_view(version=42), WizardState(current=REVIEW_SCREEN))
    assert nav.on_review_screen and nav.expected_version == 42
    assert not nav.back_saves and not nav.jump_saves({"anything": 1})


def test_dirty_check_compares_with_what_is_stored():
    nav = WizardNavigator(_view(office={"company_name": "海洋物流", "office_name": None}),
                          WizardState(current=OFFICE))
    assert not nav.is_dirty({"company_name": "海洋物流"})
    assert not nav.is_dirty({"company_name": "海洋物流", "office_name": None, "head_office_phone": None})
    assert nav.is_dirty({"company_name": "海洋物流株式会社"})
    assert nav.jump_saves({"company_name": "別の会社"}) and nav.back_saves


def test_go_forgets_the_versions_and_the_screen_state():
    view = _view()
    nav = WizardNavigator(view, WizardState(current=OFFICE, shown={USER_CODE: 3}, confirm_draft=True,
                                            missing={"office.x": FieldError("required")}))
    nav.go(USER_CODE)
    state = nav.state()
    assert state.current == USER_CODE and state.shown == {}
    assert not state.confirm_draft and state.missing == {}
    assert WizardNavigator(view, state).expected_version == _version_of(view, USER_CODE)


def test_saved_keeps_the_new_version_and_the_errors_of_that_screen():
    nav = WizardNavigator(_view(), WizardState(current=OFFICE))
    errors = {"office_name": FieldError("required")}
    nav.saved(SaveResult(OFFICE, "PARTIAL", 99, {}, errors))
    assert nav.expected_version == 99 and nav.current_errors == errors
    assert nav.after_next(SaveResult(OFFICE, "PARTIAL", 99, {}, errors)) is None
    assert nav.after_next(SaveResult(OFFICE, "COMPLETE", 100, {})) == USER_CODE


def test_draft_save_on_the_review_screen_changes_nothing():
    nav = WizardNavigator(_view(version=5), WizardState(current=REVIEW_SCREEN))
    nav.saved(SaveResult(REVIEW_SCREEN, "", 0, {}))
    assert nav.expected_version == 5 and nav.errors == {}


def test_refused_as_stale_redraws_from_the_store_without_old_errors():
    view = _view()
    state = WizardState(current=OFFICE, shown={OFFICE: 1}, errors={OFFICE: {"x": FieldError("required")}})
    nav = WizardNavigator(view, state)
    nav.refused_as_stale()
    again = WizardNavigator(view, nav.state())
    assert again.expected_version == _version_of(view, OFFICE) and again.current_errors == {}


def test_submit_outcomes_keep_or_clear_what_is_missing():
    nav = WizardNavigator(_view(), WizardState(current=REVIEW_SCREEN))
    nav.submit_refused({"office.security_confirmed": FieldError("required")})
    assert list(nav.state().missing) == ["office.security_confirmed"]
    nav.submitted()
    assert nav.state().missing == {}


def test_state_is_a_copy():
    nav = WizardNavigator(_view(), WizardState(current=OFFICE))
    state = nav.state()
    state.shown[OFFICE] = -1
    assert nav.expected_version != -1


def _with(view: ApplicationView, *, complete: tuple[str, ...] = (), comment_on: str | None = None) -> ApplicationView:
    from services.application.read import CommentView
    comment = (CommentView(1, comment_on, "ご確認ください", "審査 太郎", NOW),)
    sections = tuple(replace(s, status="COMPLETE" if s.key in complete else s.status,
                             comments=comment if s.key == comment_on else ())
                     for s in view.sections)
    return replace(view, sections=sections)


def test_resuming_opens_the_first_screen_not_yet_complete():
    view = _with(_view(), complete=(APPLICANT_CONTACT, OFFICE))
    assert WizardNavigator(view).current == USER_CODE


def test_a_returned_application_opens_on_the_first_screen_to_correct():
    everything = tuple(s.key for s in SECTIONS)
    view = _with(_view(), complete=everything, comment_on=OFFICE)
    assert WizardNavigator(view).current == OFFICE


def test_a_complete_application_opens_on_the_confirmation_screen():
    view = _with(_view(), complete=tuple(s.key for s in SECTIONS))
    assert WizardNavigator(view).current == REVIEW_SCREEN
