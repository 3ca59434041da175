"""The page registry: which screens each role sees. app.py gives st.navigation the table of
`navigation_pages` on every run (built once per session for each role set and language).

Add a screen by adding one PageDef; `roles=None` means the page is for visitors not logged in.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from services.authz import ADMIN, APPLICANT, DESK, REVIEWER, ROLES, Actor, UserKind
from services.guidance import GuidanceTask
from ui.i18n import current_language, t


@dataclass(frozen=True)
class PageDef:
    path: str
    title_key: str
    url_path: str
    group_key: str
    roles: frozenset[str] | None          # None: public (logged-out visitors)
    icon: str | None = None
    kinds: frozenset[UserKind] | None = None  # restrict applicant pages to TEMP or OFFICE logins
    default_for: frozenset[str] = frozenset()
    login_link_key: str | None = None     # public pages: the link text shown on the login screen


def _r(*roles: str) -> frozenset[str]:
    return frozenset(roles)


ALL = frozenset(ROLES)

PAGES: list[PageDef] = [
    PageDef("screens/account/login.py", "nav.login", "login", "nav.group.account", None, ":material/login:"),
    PageDef("screens/common/home.py", "nav.home", "home", "nav.group.main", ALL, ":material/home:",
            default_for=ALL),
    # 新規の利用申込 (wizard): applicants with a temporary or office login; the desk enters the
    # same screens for the caller chosen on its desk page (ui.target).
    PageDef("screens/applicant/application.py", "wizard.nav.application", "application", "nav.group.applicant",
            _r(APPLICANT), ":material/edit_document:", kinds=frozenset({UserKind.TEMP, UserKind.OFFICE})),
    PageDef("screens/applicant/application_view.py", "wizard.nav.view", "application-view", "nav.group.applicant",
            _r(APPLICANT), ":material/description:", kinds=frozenset({UserKind.TEMP, UserKind.OFFICE})),
    PageDef("screens/applicant/application.py", "wizard.nav.application", "desk-application", "nav.group.desk",
            _r(DESK), ":material/edit_document:", kinds=frozenset({UserKind.STAFF})),
    PageDef("screens/desk/search.py", "desk.nav.title", "desk", "nav.group.desk", _r(DESK),
            ":material/support_agent:", default_for=_r(DESK)),
    PageDef("screens/admin/outbox.py", "nav.outbox", "outbox", "nav.group.admin", _r(ADMIN),
            ":material/mail:"),
    PageDef("screens/review/dashboard.py", "review.nav.dashboard", "review", "nav.group.review", _r(REVIEWER, ADMIN),
            ":material/fact_check:", default_for=_r(REVIEWER)),
    PageDef("screens/review/detail.py", "review.nav.detail", "review-detail", "nav.group.review", _r(REVIEWER, ADMIN),
            ":material/description:"),
    PageDef("screens/admin/users.py", "nav.users", "staff-users", "nav.group.admin", _r(ADMIN),
            ":material/manage_accounts:"),
    PageDef("screens/account/change_password.py", "nav.change_password", "password", "nav.group.account", ALL,
            ":material/key:"),
    # Applicant entry (issue 3 part A): public entry pages and the applicant's guidance and notices.
    PageDef("screens/applicant/temp_account.py", "temp_account.nav", "temp-account", "nav.group.account", None,
            ":material/person_add:", login_link_key="temp_account.login_link"),
    PageDef("screens/account/reissue.py", "reissue.nav", "reissue", "nav.group.account", None,
            ":material/lock_reset:", login_link_key="reissue.login_link"),
    PageDef("screens/applicant/guidance.py", "guidance.nav", "guidance", "nav.group.applicant", _r(APPLICANT),
            ":material/checklist:", default_for=_r(APPLICANT)),
    PageDef("screens/applicant/notices.py", "notices.nav", "notices", "nav.group.applicant", _r(APPLICANT),
            ":material/notifications:"),
    # The desk sees the same two screens for the caller it acts for (ui.target), like desk-application.
    PageDef("screens/applicant/guidance.py", "guidance.nav", "desk-guidance", "nav.group.desk", _r(DESK),
            ":material/checklist:", kinds=frozenset({UserKind.STAFF})),
    PageDef("screens/applicant/notices.py", "notices.nav", "desk-notices", "nav.group.desk", _r(DESK),
            ":material/notifications:", kinds=frozenset({UserKind.STAFF})),
    # 契約内容確認: an office's contract and the ○/× table; the desk sees it for the caller it acts for.
    PageDef("screens/applicant/contract.py", "contract.nav", "contract", "nav.group.applicant", _r(APPLICANT),
            ":material/assignment:", kinds=frozenset({UserKind.OFFICE})),
    PageDef("screens/applicant/contract.py", "contract.nav", "desk-contract", "nav.group.desk", _r(DESK),
            ":material/assignment:", kinds=frozenset({UserKind.STAFF})),
    # 請求内容参照: an office's plan, billing address and monthly charges (services.billing.charges).
    # h-board adds it to the office menu; registered here for OFFICE logins.
    PageDef("screens/applicant/billing.py", "billing.nav", "billing", "nav.group.applicant", _r(APPLICANT),
            ":material/receipt_long:", kinds=frozenset({UserKind.OFFICE})),
    PageDef("screens/admin/usage_import.py", "billing.import.nav", "usage-import", "nav.group.admin", _r(ADMIN),
            ":material/upload_file:"),
    # システム設定の状況 across offices: who to call before the cut-off (desk, reviewers).
    PageDef("screens/review/settings_matrix.py", "settings_matrix.nav", "settings-status", "nav.group.main",
            _r(DESK, REVIEWER, ADMIN), ":material/grid_on:"),
    # システム設定の申込 (SPEC §2.4): offices only (never a 仮ログイン ID); opened from the guidance,
    # 申込実施 and 契約内容確認's × cells with ?user_code=.
    PageDef("screens/applicant/system_settings.py", "system_settings.nav", "system-settings", "nav.group.applicant",
            _r(APPLICANT), ":material/settings_applications:", kinds=frozenset({UserKind.OFFICE})),
    # Reached only from the re-issue mail's link (services.reissue.RESET_URL_PATH), before login.
    PageDef("screens/account/reset_password.py", "reset.nav", "reset-password", "nav.group.account", None,
            ":material/password:"),
    # 申込実施 (the office's procedures) and the 掲示板 (issue 10); the board's upkeep for administrators.
    PageDef("screens/applicant/procedures.py", "procedures.nav", "procedures", "nav.group.applicant", _r(APPLICANT),
            ":material/assignment:", kinds=frozenset({UserKind.OFFICE})),
    # 変更申込 (SPEC §2.6): offices only, opened from 申込実施.
    PageDef("screens/applicant/change.py", "change.nav", "change", "nav.group.applicant", _r(APPLICANT),
            ":material/edit_note:", kinds=frozenset({UserKind.OFFICE})),
    PageDef("screens/applicant/bulletin_board.py", "bulletin_board.nav", "bulletin-board", "nav.group.applicant",
            _r(APPLICANT), ":material/campaign:"),
    PageDef("screens/admin/bulletin_board.py", "bulletin_board.admin.nav", "board-admin", "nav.group.admin",
            _r(ADMIN), ":material/campaign:"),
    # 参照データの管理: the wizard's lists, the review deadlines and the fee schedule (services.reference_data).
    PageDef("screens/admin/reference_data.py", "reference.nav", "reference-data", "nav.group.admin",
            _r(ADMIN), ":material/table_edit:"),
    # 解約申込 (issue 12): offices only, opened from 申込実施.
    PageDef("screens/applicant/cancellation.py", "cancellation.nav", "cancellation", "nav.group.applicant",
            _r(APPLICANT), ":material/cancel:", kinds=frozenset({UserKind.OFFICE})),
    # システム利用規程の版 (issue 11 item 5): versions with an effective date.
    PageDef("screens/admin/terms.py", "terms.admin.nav", "terms-admin", "nav.group.admin", _r(ADMIN),
            ":material/gavel:"),
]

# The 事業所's menu as NSS draws it (SPEC §2.6), by url path and in this order: 申込実施 · 申込内容確認 ·
# 契約内容確認 · 請求内容参照 · パスワード変更 · 新着情報 · 掲示板 (ログアウト is the sidebar's button). An
# entry whose page is not registered above is left out. The office's other pages (the guidance it
# lands on, the wizard) stay reachable by link and URL, outside the menu.
OFFICE_MENU: tuple[str, ...] = ("procedures", "application-view", "contract", "billing", "password", "notices",
                                "bulletin-board")


@dataclass(frozen=True)
class Procedure:
    """One line of 申込実施: a procedure the office can start, by the url path of its page."""
    label_key: str
    lead_key: str
    url_path: str


# 申込実施's list. A procedure whose page is not registered (yet) shows its button disabled.
PROCEDURES: tuple[Procedure, ...] = (
    Procedure("procedures.new_usage", "procedures.new_usage_lead", "application"),
    Procedure("procedures.system_settings", "procedures.system_settings_lead", "system-settings"),
    Procedure("procedures.change", "procedures.change_lead", "change"),
    Procedure("procedures.cancellation", "procedures.cancellation_lead", "cancellation"),
)

CHANGE_PASSWORD = "screens/account/change_password.py"
# The page that carries out each 利用開始までのガイダンス procedure. A task without one (its page is
# not built yet) shows its button disabled.
GUIDANCE_TASK_PAGES: dict[GuidanceTask, str] = {
    GuidanceTask.NEW_USAGE: "screens/applicant/application.py",
    GuidanceTask.SYSTEM_SETTINGS_APPLICATION: "screens/applicant/system_settings.py",
}
GROUP_ORDER = ["nav.group.main", "nav.group.applicant", "nav.group.desk", "nav.group.review",
               "nav.group.admin", "nav.group.account"]


def guidance_task_page(task: GuidanceTask) -> str | None:
    return GUIDANCE_TASK_PAGES.get(task)


def login_links() -> list[PageDef]:
    return [p for p in PAGES if p.roles is None and p.login_link_key]


def visible_pages(actor: Actor | None) -> list[PageDef]:
    if actor is None:
        return [p for p in PAGES if p.roles is None]
    if actor.must_change_password:
        return [p for p in PAGES if p.path == CHANGE_PASSWORD]
    return [p for p in PAGES if p.roles is not None and actor.roles & p.roles
            and (p.kinds is None or actor.kind in p.kinds)]


def menu_pages(actor: Actor | None) -> list[PageDef]:
    """The pages the sidebar menu shows, in menu order: an office's own menu, else the role's pages."""
    pages = visible_pages(actor)
    if actor is None or actor.kind != UserKind.OFFICE or actor.must_change_password:
        return pages
    by_url = {p.url_path: p for p in pages}
    return [by_url[url] for url in OFFICE_MENU if url in by_url]


def procedure_page(procedure: Procedure) -> str | None:
    """The script of a 申込実施 procedure's page, None while it is not built."""
    target = page_def(procedure.url_path)
    return target.path if target is not None else None


def _default(pages: list[PageDef], actor: Actor | None) -> PageDef:
    if actor is not None:
        # The most specific landing page: an applicant's guidance before the generic home.
        for role in (APPLICANT, REVIEWER, DESK, ADMIN):
            if role in actor.roles:
                for p in pages:
                    if role in p.default_for and p.default_for != ALL:
                        return p
    return next((p for p in pages if p.default_for), pages[0])


LANDING_URL = "start"  # the app's root "/": ui.deep_link sends each visitor on to their own first page


def _landing() -> None:
    """Never drawn: app.py routes away from the root before a page runs."""


def build_navigation(actor: Actor | None) -> dict[str, list[st.Page]]:
    """The role's pages as the menu shows them, then every other page hidden at the end of the
    last group, so that each page resolves by its own URL (deep links, reloads) and ui.deep_link
    decides whether this actor may see it. Streamlit gives its default page the root URL only (its
    own path, e.g. /desk, would be "Page not found"), so the default is a hidden landing page and
    every real page keeps its path. A hidden page whose script is one of the role's own pages is
    left out, so st.switch_page(path) keeps finding the role's page."""
    pages = visible_pages(actor)
    menu = menu_pages(actor)
    groups: dict[str, list[st.Page]] = {}
    if actor is not None and actor.kind == UserKind.OFFICE and menu:
        groups[t("nav.group.main")] = [st.Page(p.path, title=t(p.title_key), url_path=p.url_path, icon=p.icon)
                                       for p in menu]  # one menu, in NSS's order
    else:
        for key in GROUP_ORDER:
            for p in menu:
                if p.group_key == key:
                    groups.setdefault(t(key), []).append(
                        st.Page(p.path, title=t(p.title_key), url_path=p.url_path, icon=p.icon))
    last = groups[next(reversed(groups))]
    # Hidden: the actor's own pages outside the menu (an office's guidance and wizard), then every
    # other page whose script is not one of the actor's (one st.Page per script for st.switch_page).
    seen = {p.path for p in menu}
    hidden: list[PageDef] = []
    for p in pages:
        if p.path not in seen:
            seen.add(p.path)
            hidden.append(p)
    hidden.extend(p for p in PAGES if p.path not in {q.path for q in pages})
    last.extend(st.Page(p.path, title=t(p.title_key), url_path=p.url_path, icon=p.icon, visibility="hidden")
                for p in hidden)
    last.append(st.Page(_landing, title=t("nav.home"), url_path=LANDING_URL, default=True, visibility="hidden"))
    return groups


_TABLE_KEY = "nss_nav_table"  # (what the table depends on, the table) of this session


def navigation_pages(actor: Actor | None) -> dict[str, list[st.Page]]:
    """`build_navigation(actor)`, kept in this session until what it depends on changes: the
    actor's pages (roles, login kind, a forced password change; logging in or out) and the
    language. Building it costs some 30 st.Page objects (paths resolved and checked on disk) on
    every run otherwise. Per session, not shared: st.navigation marks the Page it returns as the
    one allowed to run, so two sessions running one shared Page object at once would collide."""
    depends_on = (None if actor is None else (actor.roles, actor.kind, actor.must_change_password),
                  current_language())
    kept = st.session_state.get(_TABLE_KEY)
    if kept is None or kept[0] != depends_on:
        kept = (depends_on, build_navigation(actor))
        st.session_state[_TABLE_KEY] = kept
    return kept[1]


def landing_page(actor: Actor | None) -> PageDef:
    """Where the root URL leads: the actor's most specific page (the login page when logged out)."""
    return _default(visible_pages(actor), actor)


def allowed_url_paths(actor: Actor | None) -> frozenset[str]:
    return frozenset(p.url_path for p in visible_pages(actor))


def page_def(url_path: str) -> PageDef | None:
    return next((p for p in PAGES if p.url_path == url_path), None)
