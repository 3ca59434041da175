"""Entry point: page config, start-up, who is logged in, and the navigation for their roles."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.auth_adapter import render_cookie_writer
from ui.auth_ui import get_authenticator, logout, refuse_if_misconfigured, resolve_actor
from ui.deep_link import route, show_notice
from ui.desk.banner import acting_banner
from ui.format import plain
from ui.i18n import language_switch, t
from ui.nav import navigation_pages
from ui.page_header import page_header
from ui.startup import started

# A local image, not a Material icon name: the browser would fetch that favicon from
# fonts.gstatic.com, and no request may leave the machine.
FAVICON = str(Path(__file__).resolve().parent / "ui" / "assets" / "favicon.png")
st.set_page_config(page_title="NACCS 利用申込ポータル", page_icon=FAVICON, layout="wide")

refuse_if_misconfigured()  # e.g. a weak NSS_COOKIE_KEY: stop the server with the reason in its log

# Without the prepare step the first visitor waits for the migrations and the demo data: say so
# rather than show a blank page. Later runs return from the cache at once, and st.spinner only
# appears after half a second.
with st.spinner(t("app.first_run")):
    started()
authenticator = get_authenticator()
actor = resolve_actor(authenticator)
navigation = st.navigation(navigation_pages(actor), position="sidebar" if actor else "hidden")
route(actor, navigation)  # a page this visitor may not open: the login (kept for after it) or home

with st.sidebar:
    render_cookie_writer()  # first of all, at the same place on every run: before 「…でログイン中」
    st.markdown(f"**{t('app.title')}**")
    if actor is not None:
        st.caption(t("app.logged_in_as", name=plain(actor.display_name), login_id=plain(actor.login_id)))
        if st.button(t("app.logout"), key="nss_logout", icon=":material/logout:"):
            logout(authenticator, actor)
            st.rerun()
language_switch()

page_header(actor)  # the date and time (JST) as NSS shows it, above every page once logged in
show_notice()
acting_banner(actor)  # desk staff entering for a caller see whom for on every screen
navigation.run()
