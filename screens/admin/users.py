"""職員アカウント: staff users and their roles, searched and paged; issued passwords are shown once.
`?locked=1` (the admin home's link) opens the list filtered to locked accounts."""
import streamlit as st

from services import users
from services.authz import ADMIN, DESK, REVIEWER
from ui.feedback import error_text, run_action
from ui.format import fmt_datetime, plain
from ui.guard import shown_errors
from ui.i18n import t
from ui.pager import current_page, pager, reset_page
from ui.session import require_roles

STAFF_ROLES = [DESK, REVIEWER, ADMIN]
PAGE_SIZE = 50
PAGE_KEY = "users_page"
actor = require_roles(ADMIN)
if st.query_params.get("locked") == "1" and "users_locked" not in st.session_state:
    st.session_state["users_locked"] = True
st.title(t("users.title"))

issued = st.session_state.pop("users_issued", None)
if issued:
    st.success(t("users.issued", login_id=plain(issued[0]), password=plain(issued[1])), icon=":material/key:")

c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
search = c1.text_input(t("users.search"), key="users_search", max_chars=254, on_change=reset_page,
                       args=(PAGE_KEY,))
role = c2.selectbox(t("users.role_filter"), ["", *STAFF_ROLES], key="users_role", on_change=reset_page,
                    args=(PAGE_KEY,), format_func=lambda r: t(f"role.{r}") if r else t("users.role_all"))
locked_only = c3.checkbox(t("users.locked_only"), key="users_locked", on_change=reset_page, args=(PAGE_KEY,))
total, rows = 0, []
with shown_errors():
    total, rows = users.search_staff(actor, search=search, role=role or None, locked_only=locked_only,
                                     page=current_page(PAGE_KEY), page_size=PAGE_SIZE)
st.caption(t("users.count", total=total))
if rows:
    st.dataframe(
        [{t("users.col.login_id"): r.login_id, t("users.col.name"): r.display_name, t("users.col.email"): r.email,
          t("users.col.roles"): "、".join(t(f"role.{x}") for x in r.roles),
          t("users.col.active"): "○" if r.is_active else "×",
          t("users.col.must_change"): "○" if r.must_change_password else "",
          t("users.col.last_login"): fmt_datetime(r.last_login_at) if r.last_login_at else "",
          t("users.col.locked"): "○" if r.locked else ""} for r in rows],
        hide_index=True, use_container_width=True)
else:
    st.info(t("users.none_found"), icon=":material/search_off:")
pager(PAGE_KEY, total, PAGE_SIZE)

errors = st.session_state.pop("users_errors", {})
with st.form("users_new", clear_on_submit=False, enter_to_submit=False):
    st.subheader(t("users.new"))
    login_id = st.text_input(t("users.col.login_id"), max_chars=32, help=t("users.login_id_help"))
    if "login_id" in errors:
        st.error(error_text(errors["login_id"]))
    name = st.text_input(t("users.col.name"), max_chars=100)
    if "display_name" in errors:
        st.error(error_text(errors["display_name"]))
    email = st.text_input(t("users.col.email"), max_chars=254)
    if "email" in errors:
        st.error(error_text(errors["email"]))
    roles = st.multiselect(t("users.col.roles"), STAFF_ROLES, format_func=lambda r: t(f"role.{r}"),
                           placeholder=t("wizard.form.choose"))
    if "roles" in errors:
        st.error(error_text(errors["roles"]))
    if st.form_submit_button(t("users.create"), type="primary"):
        field_errors: dict = {}
        password = run_action(lambda: users.create_staff(actor, login_id, name, email, set(roles)),
                              errors_into=field_errors)
        if field_errors:
            st.session_state["users_errors"] = field_errors
            st.rerun()
        if password is not None:
            st.session_state["users_issued"] = (login_id.strip(), password)
            st.rerun()

if rows:
    st.subheader(t("users.edit"))
    by_login = {r.login_id: r for r in rows}
    chosen = by_login[st.selectbox(t("users.col.login_id"), list(by_login), key="users_pick")]
    new_roles = st.multiselect(t("users.col.roles"), STAFF_ROLES, default=list(chosen.roles),
                               format_func=lambda r: t(f"role.{r}"), key=f"users_roles_{chosen.user_id}",
                               placeholder=t("wizard.form.choose"))
    if chosen.locked:
        st.warning(t("users.locked_caption"), icon=":material/lock:")
    c1, c2, c3, c4 = st.columns(4)
    # `or True`: these services return nothing; run_action's None means it was refused.
    if (c1.button(t("users.save_roles"), key="users_save_roles")
            and run_action(lambda: users.set_roles(actor, chosen.user_id, set(new_roles)) or True)):
        st.rerun()
    if (c2.button(t("users.deactivate") if chosen.is_active else t("users.activate"), key="users_active")
            and run_action(lambda: users.set_active(actor, chosen.user_id, not chosen.is_active) or True)):
        st.rerun()
    if c3.button(t("users.reset_password"), key="users_reset"):
        password = run_action(lambda: users.reset_password(actor, chosen.user_id))
        if password is not None:
            st.session_state["users_issued"] = (chosen.login_id, password)
            st.rerun()
    if (chosen.locked and c4.button(t("users.unlock"), key="users_unlock")
            and run_action(lambda: users.unlock(actor, chosen.user_id) or True)):
        st.rerun()
