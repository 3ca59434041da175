"""Deep links (issue 13 item 6): which page a URL may open for this visitor, run by app.py right
after st.navigation resolved the URL and before any page draws.

- a page of the actor's roles opens as it is (also on a reload);
- logged out, a page behind login is remembered with its query string (/review-detail?app=12) and
  the login page opens; right after the login that page opens, if the role has it;
- a page of another role goes to the actor's own first page with a word why; the root URL and the
  login page, once logged in, go there silently.
"""
from __future__ import annotations

import streamlit as st

from services.authz import Actor
from ui.i18n import t
from ui.nav import allowed_url_paths, landing_page, page_def

PENDING_KEY = "nss_deep_link"          # (url_path, query params) asked for before login
NOTICE_KEY = "nss_deep_link_notice"    # say on the next run why another page opened
HAD_ACTOR_KEY = "nss_deep_link_had_actor"  # this session was logged in once: a logout is no deep link
LOGIN_PATH = "screens/account/login.py"


def _may_follow(actor: Actor | None) -> bool:
    return actor is not None and not actor.must_change_password


def route(actor: Actor | None, page: st.Page) -> None:
    """Return when `page` may run; otherwise switch to the right page (never returns)."""
    ss = st.session_state
    allowed = allowed_url_paths(actor)
    here = page.url_path  # "" is the root (the hidden landing page)
    arrived_logged_out = not ss.get(HAD_ACTOR_KEY)
    if actor is not None:
        ss[HAD_ACTOR_KEY] = True
    if _may_follow(actor) and PENDING_KEY in ss:
        wanted, query = ss.pop(PENDING_KEY)
        if wanted in allowed:
            if wanted != here:
                st.switch_page(page_def(wanted).path, query_params=query)
            return
        ss[NOTICE_KEY] = True
    if here in allowed:
        return
    if actor is None:
        if here and arrived_logged_out:  # a URL opened or reloaded, not the page left by a logout
            ss[PENDING_KEY] = (here, st.query_params.to_dict())
        st.switch_page(LOGIN_PATH)
    target = page_def(here) if here else None
    if target is not None and target.roles is not None and _may_follow(actor):
        ss[NOTICE_KEY] = True  # a page of another role (public pages just lead on once logged in;
        #                        a forced password change comes first, the link is kept for after it)
    st.switch_page(landing_page(actor).path)


def show_notice() -> None:
    """Drawn by app.py above the page: why the page asked for did not open."""
    if st.session_state.pop(NOTICE_KEY, False):
        st.warning(t("deep_link.not_allowed"), icon=":material/block:")
