"""ui.format.md: the template's Markdown acts, every value shows literally."""
from streamlit.testing.v1 import AppTest

from tests.ui.harness import left_active, shown
from ui.format import md, plain

HOSTILE = "![x](http://127.0.0.1:9/p.png) [本人確認](javascript:alert(1)) **太字** <b>タグ</b> :red[赤]"


def test_values_are_escaped_and_the_template_is_not():
    out = md("**{title}**　{n}", title=HOSTILE, n=3)
    assert out == f"**{plain(HOSTILE)}**　3"
    assert out.startswith("**") and out.endswith("　3")
    assert left_active(out) == [] and shown(out) == f"**{HOSTILE}**　3"
    assert md("{a}{b}", a=None, b="") == ""


def test_a_value_with_markdown_and_html_is_shown_literally_by_streamlit():
    def script():
        import streamlit as st

        from ui.format import md
        st.markdown(md("**{title}**", title=st.session_state["value"]))

    at = AppTest.from_function(script)
    at.session_state["value"] = HOSTILE
    at.run()
    [shown_md] = [m.value for m in at.markdown]
    assert not at.exception and shown_md == f"**{plain(HOSTILE)}**"
    assert "<b>" not in shown_md and "](" not in shown_md and shown(shown_md) == f"**{HOSTILE}**"
