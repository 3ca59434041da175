"""A simple flow bar: the steps of one procedure, the current one highlighted."""
from __future__ import annotations

import streamlit as st


def progress_steps(labels: list[str], current: int) -> None:
    """`labels` come from t(), never from user input."""
    columns = st.columns(len(labels))
    for i, (column, label) in enumerate(zip(columns, labels, strict=True)):
        if i < current:
            column.success(label, icon=":material/check_circle:")
        elif i == current:
            column.info(f"**{label}**", icon=":material/radio_button_checked:")
        else:
            column.container(border=True).caption(label)
