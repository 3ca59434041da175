"""Running a service call from a page and turning its outcome into words: the one way.

    result = run_action(lambda: service.do(actor, ...), errors_into=field_errors)

- `ValidationFailed`: its field errors go into `errors_into` (the page draws each next to its
  field) or, without one, are listed here;
- `StaleData`: the standard "changed by someone else, reload" message;
- any other `DomainError`: its code in words.
The call's result is returned, or None when it was refused. `flash()` keeps a success message for
the next run (after `st.rerun()` or a page switch) until the user's next action draws the page.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from services.errors import DomainError, FieldError, StaleData, ValidationFailed
from ui.format import plain
from ui.i18n import t

T = TypeVar("T")
_FLASH_KEY = "nss_flash"


def error_text(err: DomainError | FieldError) -> str:
    """Words for a service error, for st.error (Markdown); the workflow's codes get the
    reviewer-facing wording. A text parameter may quote what was typed (a file name, a value): it
    is escaped (ui.format.plain) so it shows literally."""
    if isinstance(err, DomainError) and err.code == "workflow.invalid_transition":
        return t("review.invalid_transition")
    return t(err.code, **{k: plain(v) if isinstance(v, str) else v for k, v in err.params.items()})


def show_error(err: DomainError) -> None:
    icon = ":material/sync_problem:" if isinstance(err, StaleData) else ":material/block:"
    if isinstance(err, ValidationFailed):
        for field_error in err.errors.values():
            st.error(error_text(field_error), icon=icon)
        return
    st.error(error_text(err), icon=icon)


def run_action(call: Callable[[], T], *, errors_into: dict[str, FieldError] | None = None,
               on_stale: Callable[[], None] | None = None, stale_message_key: str | None = None) -> T | None:
    """Run one service call; show why it was refused right here. Returns its result or None."""
    try:
        return call()
    except ValidationFailed as err:
        if errors_into is not None:
            errors_into.clear()
            errors_into.update(err.errors)
        else:
            show_error(err)
    except StaleData as err:
        show_error(StaleData(stale_message_key) if stale_message_key else err)
        if on_stale is not None:
            on_stale()
    except DomainError as err:
        show_error(err)
    return None


def flash(message: str, *, kind: str = "success") -> None:
    """Show `message` on the next run of whichever page comes next."""
    st.session_state[_FLASH_KEY] = (kind, message)


def show_flash() -> None:
    """Draw (and forget) the pending message. Call near the top of a page."""
    pending = st.session_state.pop(_FLASH_KEY, None)
    if not pending:
        return
    kind, message = pending
    if kind == "info":
        st.info(message, icon=":material/info:")
    elif kind == "warning":
        st.warning(message, icon=":material/warning:")
    else:
        st.success(message, icon=":material/check_circle:")
