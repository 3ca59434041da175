"""Streamlit writes its own English hints into Japanese screens unless told otherwise: a form shows
「Press Enter to submit form」 under its text inputs, a multiselect shows 「Choose options」. Every
form and multiselect in the app says what to do instead."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The desk's search box submits on Enter on purpose (a worker on the phone types and presses Enter).
ENTER_SUBMITS = {"desk_search_form"}


def _calls(name: str) -> list[tuple[str, ast.Call]]:
    found = []
    for folder in ("screens", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name:
                    found.append((str(path.relative_to(ROOT)), node))
    return found


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def test_forms_do_not_show_the_english_enter_hint():
    forms = [(path, call) for path, call in _calls("form") if call.args and isinstance(call.args[0], ast.Constant)]
    assert forms, "the scan found no forms"
    offenders = [f"{path}:{call.lineno}" for path, call in forms
                 if call.args[0].value not in ENTER_SUBMITS
                 and not (isinstance(v := _keyword(call, "enter_to_submit"), ast.Constant) and v.value is False)]
    assert not offenders, offenders


def test_multiselects_have_a_japanese_placeholder():
    selects = _calls("multiselect")
    assert selects, "the scan found no multiselects"
    assert not [f"{path}:{call.lineno}" for path, call in selects if _keyword(call, "placeholder") is None]
