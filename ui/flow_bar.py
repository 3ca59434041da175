"""業務フロー: 入力中 → 申込受付 → 審査中 → 確認完了 (or 差戻し / 却下), for any application."""
from __future__ import annotations

import streamlit as st

from services import workflow
from ui.i18n import t


def flow_steps(status: str) -> list[tuple[str, str]]:
    """(status, state) per step: state is done / current / todo. 差戻し and 却下 replace a step."""
    steps = list(workflow.FLOW_STEPS)
    if status == workflow.RETURNED:
        steps = [workflow.DRAFT, workflow.SUBMITTED, workflow.RETURNED]
    elif status == workflow.REJECTED:
        steps = [workflow.DRAFT, workflow.SUBMITTED, workflow.IN_REVIEW, workflow.REJECTED]
    current = steps.index(status) if status in steps else 0
    return [(s, "done" if i < current else "current" if i == current else "todo") for i, s in enumerate(steps)]


def flow_bar(status: str) -> None:
    parts = []
    for step, state in flow_steps(status):
        label = t(f"wizard.flow.{step}")
        if state == "done":
            parts.append(f":green[✓ {label}]")
        elif state == "current":
            colour = "red" if step in (workflow.RETURNED, workflow.REJECTED) else "orange"
            parts.append(f":{colour}-background[**{label}**]")
        else:
            parts.append(f":gray[{label}]")
    # Labels come from the locale files only, never from user input.
    st.markdown(f"{t('wizard.flow.title')}：" + "　→　".join(parts))
