"""Landing page for staff: what this role can do; for an administrator, what needs attention
(ui.admin_attention) instead of an empty welcome."""
import streamlit as st

from services.authz import ADMIN
from ui.admin_attention import admin_attention
from ui.format import plain
from ui.guard import shown_errors
from ui.i18n import t
from ui.session import require_actor

actor = require_actor()
st.title(t("home.title", name=plain(actor.display_name)))
st.write(t("home.roles", roles="、".join(t(f"role.{r}") for r in sorted(actor.roles))))
if ADMIN in actor.roles:
    with shown_errors():
        admin_attention(actor)
else:
    st.info(t("home.hint"), icon=":material/info:")
