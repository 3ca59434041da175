"""A typed value inside Markdown (captions) shows literally: no image fetched, no link, no colour."""
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
