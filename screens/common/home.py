"""Landing page for staff: what this role can do."""
import streamlit as st

from ui.format import plain
from ui.i18n import t
from ui.session import require_actor

actor = require_actor()
st.title(t("home.title", name=plain(actor.display_name)))
st.write(t("home.roles", roles="、".join(t(f"role.{r}") for r in sorted(actor.roles))))
st.info(t("home.hint"), icon=":material/info:")
