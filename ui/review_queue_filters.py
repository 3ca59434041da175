"""The queue's filter and sort widgets, and the same state in the URL's query parameters.

The widgets return what the services take (QueueFilters, sort key). Their values also live in the
query string (`?status=SUBMITTED&who=mine&sort=-submitted_at&page=2`), written on every run of the
queue: a reload or the way back from 申込詳細 (whose URL carries the same parameters next to `app`)
draws the queue as it was. Only values that differ from the defaults are written.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from services import reference_data
from services.application.connection import ConnectionType
from services.fields import int_or_none
from services.review.queue import DUE_SOON, KINDS, MINE, OVERDUE, SORTS, UNASSIGNED, QueueFilters
from services.workflow import OPEN_FOR_REVIEW, ApplicationStatus
from ui.i18n import t
from ui.labels import connection_label, kind_label, status_label
from ui.nav import PAGES

ANY = ""
ALL_STATUSES = "all"                  # ?status=all: the status filter cleared (decided ones too)
STATUSES = tuple(s for s in ApplicationStatus if s != ApplicationStatus.DRAFT)
DUES = (ANY, OVERDUE, DUE_SOON)
PAGE_PARAM = "page"                   # 1-based in the URL
# widget key -> query parameter
PARAMS = {"rq_statuses": "status", "rq_assignee": "who", "rq_due": "due", "rq_ref_no": "ref", "rq_sort": "sort",
          "rq_desc": "desc", "rq_kinds": "kind", "rq_connection": "conn", "rq_industry": "ind",
          "rq_between": "between"}
QUEUE_PARAMS = (*PARAMS.values(), PAGE_PARAM)
DEFAULTS: dict[str, Any] = {"rq_statuses": list(OPEN_FOR_REVIEW), "rq_assignee": ANY, "rq_due": ANY, "rq_ref_no": "",
                            "rq_sort": "submitted_at", "rq_desc": False, "rq_kinds": [], "rq_connection": ANY,
                            "rq_industry": ANY, "rq_between": ()}


def _listed(raw: str, allowed) -> list[str]:
    return [v for v in raw.split(",") if v in allowed]


def _dates(raw: str) -> tuple[date, ...]:
    try:
        return tuple(date.fromisoformat(d) for d in raw.split("~") if d)[:2]
    except ValueError:
        return ()


def _assignee(raw: str) -> str | int:
    if raw in (MINE, UNASSIGNED):
        return raw
    number = int_or_none(raw, max_digits=9)  # not str.isdigit(): '¹' passes it and int() refuses it
    return number if number is not None and number > 0 else ANY


def widget_values(params: Mapping[str, str]) -> dict[str, Any]:
    """The widget values a query string asks for; anything unknown or malformed is the default."""
    values = dict(DEFAULTS)
    get = {name: params.get(name) for name in PARAMS.values()}
    if get["status"] is not None:
        values["rq_statuses"] = [] if get["status"] == ALL_STATUSES else _listed(get["status"], STATUSES)
    if get["who"]:
        values["rq_assignee"] = _assignee(get["who"])
    if get["due"] in DUES:
        values["rq_due"] = get["due"]
    if get["ref"]:
        values["rq_ref_no"] = get["ref"][:20]
    if get["sort"] and get["sort"].lstrip("-") in SORTS:
        values["rq_sort"], values["rq_desc"] = get["sort"].lstrip("-"), get["sort"].startswith("-")
    if get["kind"]:
        values["rq_kinds"] = _listed(get["kind"], KINDS)
    if get["conn"] in tuple(ConnectionType):
        values["rq_connection"] = get["conn"]
    if get["ind"] in reference_data.current().known_industries:
        values["rq_industry"] = get["ind"]
    if get["between"]:
        values["rq_between"] = _dates(get["between"])
    return values


def state_of(values: Mapping[str, Any]) -> tuple[QueueFilters, str]:
    """(filters, sort key) from widget values: the one translation, for the widgets and the URL."""
    between = values["rq_between"]
    dates = tuple(between) if isinstance(between, (list, tuple)) else (between,)
    filters = QueueFilters(
        kinds=tuple(values["rq_kinds"]), statuses=tuple(values["rq_statuses"]),
        connection_type=values["rq_connection"] or None, industry=values["rq_industry"] or None,
        submitted_from=dates[0] if dates else None,
        submitted_to=dates[1] if len(dates) > 1 else (dates[0] if dates else None),
        assignee=values["rq_assignee"] or None, due=values["rq_due"] or None, ref_no=values["rq_ref_no"])
    return filters, ("-" if values["rq_desc"] else "") + values["rq_sort"]


def state_from_url(params: Mapping[str, str]) -> tuple[QueueFilters, str]:
    """The queue a URL describes (申込詳細 uses it for 「承認して次へ」)."""
    return state_of(widget_values(params))


def page_from_url(params: Mapping[str, str]) -> int:
    raw = params.get(PAGE_PARAM, "")
    number = int_or_none(raw, max_digits=9)
    return max(number - 1, 0) if number is not None else 0


def queue_params(params: Mapping[str, str]) -> dict[str, str]:
    """The queue's own parameters out of a URL (to carry them to 申込詳細 and back)."""
    return {k: params[k] for k in QUEUE_PARAMS if k in params}


def to_params(values: Mapping[str, Any], page: int) -> dict[str, str]:
    """Widget values and the 0-based page as query parameters, defaults left out."""
    out: dict[str, str] = {}
    for key, name in PARAMS.items():
        value = values[key]
        if key in ("rq_sort", "rq_desc") or value == DEFAULTS[key]:
            continue
        if key == "rq_statuses":
            out[name] = ",".join(value) if value else ALL_STATUSES
        elif key == "rq_kinds":
            out[name] = ",".join(value)
        elif key == "rq_between":
            out[name] = "~".join(d.isoformat() for d in value)
        else:
            out[name] = str(value)
    sort = ("-" if values["rq_desc"] else "") + values["rq_sort"]
    if sort != DEFAULTS["rq_sort"]:
        out["sort"] = sort
    if page:
        out[PAGE_PARAM] = str(page + 1)
    return out


def seed_from_url(params: Mapping[str, str], reviewer_ids: set[int]) -> bool:
    """Before the widgets are drawn: give each widget not yet in this session (a reload, a return
    from 申込詳細) the value in the URL. True when the queue was (re)entered this way."""
    values = widget_values(params)
    if isinstance(values["rq_assignee"], int) and values["rq_assignee"] not in reviewer_ids:
        values["rq_assignee"] = ANY
    entered = False
    for key, value in values.items():
        if key not in st.session_state:
            st.session_state[key] = value
            entered = True
    return entered


def preset(**values: Any) -> None:
    """A figure tile's filtered queue: these values, the rest of the filters back to their defaults
    (the sort stays). Used as a button callback, before the widgets are drawn."""
    for key, default in DEFAULTS.items():
        if key not in ("rq_sort", "rq_desc"):
            st.session_state[key] = values.get(key, default)


def current_values() -> dict[str, Any]:
    return {key: st.session_state.get(key, default) for key, default in DEFAULTS.items()}


def filter_widgets(reviewers: list[tuple[int, str, str]]) -> tuple[QueueFilters, str]:
    """The daily filters in one row above the queue; the rarer ones in a collapsed expander.
    Values come from session state (seed_from_url / preset), so no widget takes a default here."""
    c1, c2, c3, c4, c5, c6 = st.columns([3, 2, 1.5, 1.5, 1.5, 0.8], vertical_alignment="bottom")
    # The work to do first: open items. Clearing the filter shows decided ones too.
    c1.multiselect(t("review.queue.status"), STATUSES, format_func=status_label, key="rq_statuses",
                   placeholder=t("review.queue.any"))
    assignee_options = [ANY, MINE, UNASSIGNED, *[r[0] for r in reviewers]]
    names = {r[0]: f"{r[2]}（{r[1]}）" for r in reviewers}
    c2.selectbox(t("review.queue.assignee"), assignee_options, key="rq_assignee",
                 format_func=lambda a: names.get(a) or t(f"review.queue.assignee_{a or 'any'}"))
    c3.selectbox(t("review.queue.due"), DUES, key="rq_due",
                 format_func=lambda d: t({ANY: "review.queue.due_any", OVERDUE: "review.queue.due_overdue",
                                          DUE_SOON: "review.queue.due_soon"}[d]))
    c4.text_input(t("review.queue.ref_no"), key="rq_ref_no", max_chars=20)
    c5.selectbox(t("review.queue.sort"), list(SORTS), key="rq_sort", format_func=lambda k: t(f"review.queue.sort_{k}"))
    c6.checkbox(t("review.queue.descending"), key="rq_desc")
    values = current_values()
    more = any(values[k] != DEFAULTS[k] for k in ("rq_kinds", "rq_connection", "rq_industry", "rq_between"))
    with st.expander(t("review.work.more_filters"), expanded=more, icon=":material/filter_list:"):
        m1, m2, m3, m4 = st.columns(4)
        m1.multiselect(t("review.queue.kind"), KINDS, format_func=kind_label, key="rq_kinds",
                       placeholder=t("review.queue.any"))
        m2.selectbox(t("review.queue.connection"), (ANY, *ConnectionType), key="rq_connection",
                     format_func=lambda c: connection_label(c) if c else t("review.queue.any"),
                     help=t("review.queue.connection_help"))
        m3.selectbox(t("review.queue.industry"), (ANY, *reference_data.current().known_industries), key="rq_industry",
                     format_func=lambda i: i or t("review.queue.any"))
        m4.date_input(t("review.queue.submitted_between"), key="rq_between", format="YYYY/MM/DD")
    return state_of(current_values())


DASHBOARD_PAGE, DETAIL_PAGE = "screens/review/dashboard.py", "screens/review/detail.py"


def open_detail(application_id: int, queue: Mapping[str, str]) -> None:
    """申込詳細 of one application, its URL carrying the queue it was opened from."""
    st.switch_page(DETAIL_PAGE, query_params={"app": str(application_id), **queue})


def detail_url(application_id: int, queue: Mapping[str, str]) -> str:
    """The same page as a link (the deadline lists' 開く column): relative to the app's base path, so
    it also works behind a proxy's path prefix; a logged-out or other-role visitor goes through
    ui.deep_link like any URL."""
    page = next(p for p in PAGES if p.path == DETAIL_PAGE)
    return f"{page.url_path}?{urlencode({'app': str(application_id), **queue})}"


def back_to_queue(queue: Mapping[str, str]) -> None:
    st.switch_page(DASHBOARD_PAGE, query_params=dict(queue))
