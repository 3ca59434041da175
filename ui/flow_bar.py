"""業務フロー: 入力中 → 申込受付 → 審査中 → 確認完了 (or 差戻し / 却下), for any application."""
from __future__ import annotations

import streamlit as st

from services import workflow
from services.workflow import ApplicationStatus
from ui.i18n import t
from ui.labels import status_label


def flow_steps(status: str) -> list[tuple[str, str]]:
    """(status, state) per step: state is done / current / todo. 差戻し and 却下 replace a step."""
    steps = list(workflow.FLOW_STEPS)
    if status == ApplicationStatus.RETURNED:
        steps = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED]
    elif status == ApplicationStatus.REJECTED:
        steps = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW,
                 ApplicationStatus.REJECTED]
    current = steps.index(status) if status in steps else 0
    return [(s, "done" if i < current else "current" if i == current else "todo") for i, s in enumerate(steps)]


def flow_bar(status: str) -> None:
    parts = []
    for step, state in flow_steps(status):
        label = status_label(step)
        if state == "done":
            parts.append(f":green[✓ {label}]")
        elif state == "current":
            colour = "red" if step in (ApplicationStatus.RETURNED, ApplicationStatus.REJECTED) else "orange"
            parts.append(f":{colour}-background[**{label}**]")
        else:
            parts.append(f":gray[{label}]")
    # Labels come from the locale files only, never from user input.
    st.markdown(f"{t('wizard.flow.title')}：" + "　→　".join(parts))
