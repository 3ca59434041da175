"""The load benchmark's pure helpers (bench/bench_sessions.py): finding widgets in a run's
ForwardMsgs the way the session clients do, and the percentile of the figures. No server runs."""
from __future__ import annotations

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.bench_sessions import (
    FIELD_KEY,
    LOGIN_ID_LABEL,
    SAVE_KEY,
    SessionResult,
    count_lost,
    exceptions,
    find_widget,
    percentile,
    text_state,
    texts,
    trigger_state,
)


def _element(kind: str, **values) -> ForwardMsg:
    msg = ForwardMsg()
    proto = getattr(msg.delta.new_element, kind)
    for name, value in values.items():
        setattr(proto, name, value)
    return msg


def _recorded_wizard_run() -> list[ForwardMsg]:
    """Shaped like a real run of the wizard (ids as Streamlit 1.67 makes them: $$ID-<hash>-<key>)."""
    session = ForwardMsg()
    session.new_session.page_script_hash = "abc"
    finished = ForwardMsg()
    finished.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    return [
        session,
        _element("radio", id="$$ID-4d3a-nss_lang", label="Language / 言語"),
        _element("alert", body="保存しました。"),
        _element("text_input", id="$$ID-11-wiz_f_applicant_contact_3_application_clerk_name", label="氏名"),
        _element("text_input", id="$$ID-12-wiz_f_applicant_contact_3_application_clerk_department", label="部署"),
        _element("text_input", id="$$ID-13-wiz_f_applicant_contact_3_admin_manager_department", label="部署"),
        _element("button", id="$$ID-21-wiz_back_save", label="戻る"),
        _element("button", id="$$ID-22-wiz_save", label="保存"),
        _element("button", id="$$ID-23-wiz_next", label="次へ"),
        _element("markdown", body="**NACCS**"),
        finished,
    ]


def test_finds_the_wizard_field_and_save_button_by_key_whatever_the_screen_version():
    run = _recorded_wizard_run()
    field = find_widget(run, "text_input", key=FIELD_KEY)
    assert field is not None and field.id.endswith("application_clerk_department")
    assert find_widget(run, "button", key=SAVE_KEY).id == "$$ID-22-wiz_save"   # not wiz_back_save
    assert find_widget(run, "button", key=FIELD_KEY) is None                      # the kind must match too


def test_finds_form_widgets_by_label():
    run = [_element("text_input", id="$$ID-74-None", label=LOGIN_ID_LABEL, form_id="nss_login"),
           _element("button", id="$$ID-1c-FormSubmitter:nss_login-ログイン", label="ログイン", form_id="nss_login")]
    assert find_widget(run, "text_input", label=LOGIN_ID_LABEL).form_id == "nss_login"
    assert find_widget(run, "button", label="ログイン").id.endswith("FormSubmitter:nss_login-ログイン")
    assert find_widget(run, "text_input", label="パスワード") is None


def test_texts_and_exceptions_of_a_run():
    run = _recorded_wizard_run() + [_element("exception", type="OperationalError", message="database is locked")]
    assert texts(run) == ["保存しました。", "**NACCS**"]
    assert exceptions(run) == ["OperationalError: database is locked"]
    assert exceptions(_recorded_wizard_run()) == []


def test_widget_states_sent_back():
    run = _recorded_wizard_run()
    state = text_state(find_widget(run, "text_input", key=FIELD_KEY), "計測部 1-1")
    assert state.WhichOneof("value") == "string_value" and state.string_value == "計測部 1-1"
    click = trigger_state(find_widget(run, "button", key=SAVE_KEY))
    assert click.WhichOneof("value") == "trigger_value" and click.trigger_value is True


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 100) == 100.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None


def test_a_save_is_lost_when_the_database_does_not_hold_the_last_confirmed_value():
    kept = SessionResult(0, "T1", 10, 0, confirmed="a-3")
    overwritten_later = SessionResult(1, "T2", 11, 0, confirmed="b-2", attempted_after=["b-3"])  # timed out, landed
    lost = SessionResult(2, "T3", 12, 0, confirmed="c-5")
    never_saved = SessionResult(3, "T4", 13, 0)
    stored = {10: "a-3", 11: "b-3", 12: "c-4", 13: None}
    assert count_lost([kept, overwritten_later, never_saved], stored) == 0
    assert count_lost([kept, overwritten_later, lost, never_saved], stored) == 1
    assert count_lost([SessionResult(4, "T5", 14, 0, confirmed="d-1")], {}) == 1  # the row is gone
