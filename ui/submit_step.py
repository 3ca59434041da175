"""The last step of the pages that draw several screens at once (システム設定申込, 変更申込): what the
last 「申込む」 found missing, 「戻る」 and 「申込む」. The wizard's own review screen lists the missing
items with a 「修正する」 per screen instead, so it does not use this."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from services.application import submit
from services.application.read import ApplicationView
from services.authz import Actor
from services.errors import FieldError
from ui.feedback import run_action
from ui.i18n import t
from ui.review_figures import figures_changed
from ui.wizard_missing import describe_missing


def missing_and_submit(actor: Actor, view: ApplicationView, prefix: str, go: Callable[[int], None], *,
                       back_to: int, done_at: int, back_key: str | None = None) -> None:
    """`prefix` keys the page's state and buttons: `<prefix>_missing` ({application id: what submit
    refused}), `<prefix>_submit`, `<prefix>_back` (or `back_key`), and `<prefix>_just_submitted`
    (the reference number, for the done step to say it was just submitted). `go(step)` moves the
    page to a step and reruns."""
    missing_key = f"{prefix}_missing"
    missing = st.session_state.setdefault(missing_key, {}).get(view.id)
    if missing:
        st.error(t("wizard.msg.missing"), icon=":material/error:")
        for _, message in describe_missing(missing):
            st.text(message)
    back, send = st.columns(2)
    if back.button(t("wizard.button.back"), key=back_key or f"{prefix}_back"):
        go(back_to)
    if send.button(t("wizard.button.submit"), type="primary", key=f"{prefix}_submit"):
        refused: dict[str, FieldError] = {}
        result = run_action(lambda: submit.submit_application(actor, view.id, view.version), errors_into=refused)
        st.session_state[missing_key][view.id] = refused
        if result is not None:
            figures_changed()  # the reviewers' figures count it at once
            st.session_state[f"{prefix}_just_submitted"] = result.ref_no
            go(done_at)
        elif refused:
            st.rerun()
