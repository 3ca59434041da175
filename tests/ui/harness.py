"""AppTest helpers: run one page as a given actor, or the whole app through app.py."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from services.authz import Actor
from ui.session import ACTOR_KEY

TIMEOUT = 30
ROOT = Path(__file__).resolve().parents[2]


def page(path: str, actor: Actor | None = None, **state) -> AppTest:
    """A page script on its own, with the actor app.py would have put in the session."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=TIMEOUT)
    if actor is not None:
        at.session_state[ACTOR_KEY] = actor
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()


def texts(at: AppTest) -> str:
    """Everything visible as text, for assertions on messages."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "error", "warning",
                 "success", "info", "exception"):
        parts.extend(str(getattr(e, "value", "")) for e in getattr(at, kind))
    return "\n".join(parts)


def login(at: AppTest, login_id: str, password: str) -> AppTest:
    """The login form of app.py, filled and sent."""
    at.text_input[0].input(login_id)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "ログイン").click().run()
    return at
