"""AppTest helpers: run one page as a given actor, or the whole app through app.py."""
from __future__ import annotations

import re
import string
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


_ESCAPED = re.compile(r"\\([" + re.escape(string.punctuation) + "])")
MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption", "error", "warning", "success", "info")


def shown(markdown: str) -> str:
    """What a reader sees of Markdown that ui.format.plain escaped: the escapes and hard breaks undone
    (AppTest holds the Markdown source, the browser shows this)."""
    text = _ESCAPED.sub(r"\1", markdown).replace("  \n", "\n")
    return text.replace("\u2060", "")  # the invisible word joiner that stops autolinks


# Markup that would act if left unescaped: image, link target, HTML tag or entity, script URL, bare
# URL (autolinked), ATX heading and setext underline.
ACTIVE = re.compile(r"(?<!\\)(?:!\[|\]\(|<[A-Za-z/]|&#?\w+;|javascript:|https?:|www\.)|^\s*[#=]", re.MULTILINE)
# GFM links a bare URL or mail address after resolving escapes: only the word joiner stops it.
AUTOLINK = re.compile(r"(?i)https?://|www\.|@\w")
_ANY_ESCAPE = re.compile(r"\\(.)")


def left_active(markdown: str) -> list[str]:
    """What in `markdown` would still act as markup or become a link (none for ui.format.plain)."""
    return ACTIVE.findall(markdown) + AUTOLINK.findall(_ANY_ESCAPE.sub(r"\1", markdown))


def texts(at: AppTest) -> str:
    """Everything visible as text, for assertions on messages."""
    parts = []
    for kind in (*MARKDOWN_KINDS, "text", "exception"):
        values = (str(getattr(e, "value", "")) for e in getattr(at, kind))
        parts.extend(shown(v) if kind in MARKDOWN_KINDS else v for v in values)
    return "\n".join(parts)


def login(at: AppTest, login_id: str, password: str) -> AppTest:
    """The login form of app.py, filled and sent."""
    at.text_input[0].input(login_id)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "ログイン").click().run()
    return at
