"""A typed value inside Markdown (captions) shows literally: no image fetched, no link, no colour."""
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from ui.format import plain

HOSTILE = "![x](http://127.0.0.1:9/p.png) [本人確認](javascript:alert(1)) # 見出し :red[赤] <b>太字</b>"


def test_every_markdown_character_is_escaped():
    escaped = plain(HOSTILE)
    for raw in ("![", "](", "[本人確認]", ":red[", "<b>"):
        assert raw not in escaped
    assert "\\# 見出し" in escaped  # a heading mark shows as a character
    assert plain(None) == ""


def test_a_caption_shows_the_value_literally():
    def script():
        import streamlit as st

        from ui.format import plain
        st.caption(plain(st.session_state["value"]))

    at = AppTest.from_function(script)
    at.session_state["value"] = HOSTILE
    at.run()
    assert not at.exception and at.caption[0].value == plain(HOSTILE)


# Any text at all, weighted towards what Markdown acts on.
_MARKUP = st.text(alphabet=st.sampled_from(list("!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\r\nahtpsw見出し0")), max_size=80)


@given(st.one_of(_MARKUP, st.text(max_size=80)))
@settings(max_examples=300, deadline=None)
def test_any_text_reads_back_exactly_and_leaves_no_markup(text):
    """Undoing only what a Markdown renderer undoes (escapes, hard breaks, the no-break spaces and
    the invisible word joiner) gives the text back; nothing that would act is left."""
    from tests.ui.harness import left_active, shown
    escaped = plain(text)
    expected = "\n".join("\u00a0" * (len(line) - len(line.lstrip(" \t"))) + line.lstrip(" \t")
                         for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    assert shown(escaped) == expected
    assert left_active(escaped) == []


def test_a_typed_value_quoted_in_an_error_message_is_escaped():
    """Error messages go into st.error (Markdown): a parameter quoting input shows literally."""
    from services.errors import DomainError, FieldError
    from ui.feedback import error_text
    typed = "[本人確認はこちら](http://phish.example)"
    for err in (FieldError("wizard.msg.attachment_added", {"name": typed}),
                DomainError("wizard.msg.attachment_added", name=typed)):
        assert error_text(err) == f"添付しました：{plain(typed)}"
    assert error_text(FieldError("field.too_long", {"max": 50})) == "50 文字以内で入力してください。"
