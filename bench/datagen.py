"""Rows for the benchmark database: applicants, their applications and everything hanging off them.

Faker is slow (tens of microseconds a call), so names, companies and addresses come from pools
drawn once; each row then picks from the pools with a seeded `random.Random`. Codes that must be
unique (仮ログイン ID, 事業所コード, 利用者コード) are a bijection of the row number, so they are
unique without a lookup and still look random.

Rows are plain tuples in the column order of `COLUMNS`, ready for COPY (Postgres) or an
executemany (SQLite). JSON columns are already serialised text.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from faker import Faker

from db.reference import INDUSTRIES, LINE_TYPES, MAILBOX_METHODS, PROCESSING_METHODS, SYSTEM_CATEGORIES
from db.search_text import search_key
from services.application.connection import SINGLE
from services.application.sections import SECTIONS
from services.codes import ALPHABET, DIGITS
from services.deadlines import id_notice_display_until
from services.fields import corporate_number_check_digit

# The wizard's screens, 入力確認画面 included: it keeps a row per screen, so the bench does too.
SECTION_KEYS = tuple(s.key for s in SECTIONS)
_FIELDLESS = {s.key for s in SECTIONS if not s.fields}

# Mostly decided or abandoned, a working queue of open items (SPEC §2.2 statuses).
STATUS_WEIGHTS = {"APPROVED": 45, "DRAFT": 30, "SUBMITTED": 9, "IN_REVIEW": 6, "RETURNED": 5, "REJECTED": 5}
CONNECTION_WEIGHTS = {"NET": 65, "GENERAL": 35}
# Forwarders and customs brokers dominate NACCS users; the tail is thin.
INDUSTRY_WEIGHTS = dict(zip(INDUSTRIES, (4, 10, 25, 2, 6, 6, 2, 5, 5, 2, 20, 6, 8, 1, 3), strict=True))
SHARED_USE_SHARE = 0.10
EXTRA_TEMP_APPLICANT_SHARE = 0.03   # 仮アカウント issued but no application started yet
HISTORY_DAYS = 730
SUBMITTED_ASSIGNED_SHARE = 0.2     # claimed but not yet marked 審査中

COLUMNS: dict[str, tuple[str, ...]] = {
    "applicants": ("id", "temp_login_id", "status", "contact_name", "contact_kana", "company_name",
                   "department", "phone", "phone_digits", "email", "email_lower", "corporate_number",
                   "terms_version_id", "terms_agreed_at", "terms_agreed_via", "issued_by_user_id",
                   "issued_at", "temp_expires_at", "office_code", "is_demo", "contact_name_search",
                   "company_name_search"),
    "applications": ("id", "ref_no", "kind", "shared_use", "status", "applicant_id", "connection_type",
                     "industries", "assignee_id", "submitted_at", "first_submitted_at", "decided_at",
                     "start_date", "decision_reason", "created_at", "updated_at", "created_by_user_id",
                     "version"),
    "application_industries": ("application_id", "industry"),
    "application_sections": ("id", "application_id", "section_key", "data", "status", "updated_at",
                             "updated_by_user_id", "version"),
    "users": ("id", "login_id", "login_key", "kind", "display_name", "email", "password_hash",
              "must_change_password", "is_active", "is_demo", "applicant_id", "sessions_valid_after",
              "password_changed_at", "created_at"),
    "user_roles": ("user_id", "role"),
    "user_codes": ("id", "applicant_id", "application_id", "user_code", "system_category", "industries",
                   "id_numbers", "settings_completed_at", "created_at"),
    "notices": ("id", "applicant_id", "application_id", "kind", "params", "secret", "created_at", "read_at"),
    "login_attempts": ("id", "login_key", "at", "success"),
}
# Parents before children, for inserting.
TABLE_ORDER = ("applicants", "users", "user_roles", "applications", "application_industries", "application_sections", "user_codes",
               "notices", "login_attempts")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _code(n: int, alphabet: str, length: int, multiplier: int) -> str:
    """The n-th code of a fixed-length code space: multiplication by a number coprime with the
    space size is a bijection, so distinct n give distinct codes in a scrambled order."""
    base = len(alphabet)
    v = (n * multiplier + 7919) % base ** length
    chars = []
    for _ in range(length):
        v, r = divmod(v, base)
        chars.append(alphabet[r])
    return "".join(chars)


def temp_login_id(n: int) -> str:
    return "T" + _code(n, DIGITS, 9, 1_000_003)  # 8**9 codes, multiplier odd


def office_code(n: int) -> str:
    return "B" + _code(n, ALPHABET, 7, 998_244_353)  # starts with B, never the temporary T


def user_code(n: int) -> str:
    return _code(n, ALPHABET, 5, 2_654_435_761 % 32 ** 5 | 1)


@dataclass
class Pools:
    last_names: list[tuple[str, str]]
    first_names: list[tuple[str, str]]
    companies: list[str]
    departments: list[str]
    addresses: list[tuple[str, str]]      # (postal code, address)
    titles: list[str]
    mail_domains: list[str]
    line_bundles: dict[str, list[dict[str, str]]]  # connection type -> [{section key: JSON text}]


def make_pools(seed: int, size: int = 1500) -> Pools:
    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    addresses = [(fake.zipcode(), fake.address()) for _ in range(size)]
    pools = Pools(
        last_names=[fake.last_name_pair()[:2] for _ in range(size)],
        first_names=[fake.first_name_pair()[:2] for _ in range(size)],
        companies=[fake.company() for _ in range(size)],
        departments=["業務部", "通関部", "輸出課", "輸入課", "物流管理部", "情報システム部", "総務部", "営業部"],
        addresses=addresses,
        titles=["代表取締役", "取締役社長", "代表取締役社長", "執行役員", "支店長"],
        mail_domains=[f"{fake.domain_word()}{i}.example.jp" for i in range(size)],
        line_bundles={},
    )
    for conn in SINGLE:  # new usage applications choose one (both is a later 変更申込)
        pools.line_bundles[conn] = [{k: _dumps(v) for k, v in _line_bundle(rng, pools, conn).items()}
                                    for _ in range(300)]
    return pools


def _line_bundle(rng: random.Random, p: Pools, conn: str) -> dict[str, dict]:
    """The connection-dependent screens of one application, coherent with each other: the
    processing methods decide whether the メールボックス screen applies, the 接続形態 whether
    回線工事 does (non-applicable screens stay empty, as the wizard leaves them)."""
    methods = rng.sample(PROCESSING_METHODS[conn], rng.choice((1, 1, 2)))
    terminals = rng.choice((1, 1, 2, 3, 5))
    bundle: dict[str, dict] = {
        "line": {"line_type": "インターネット" if conn == "NET" else rng.choice(LINE_TYPES[1:]),
                 "processing_methods": methods, "logical_terminal_count": terminals,
                 "server_count": rng.choice((0, 1, 2))},
        "line_installation": {}, "mailbox": {},
        "logical_terminal": {"terminals": [
            {"installation_site": f"本社 {k + 1}階", "certificate_requested": conn == "NET" and rng.random() < 0.7}
            for k in range(terminals)]},
        "fee_plan": {"expected_monthly_usage": rng.choice((10_000, 25_000, 30_000, 50_000)),
                     "plan": rng.choice(("A", "B"))},
        "billing_address": {"same_as_office": True},
    }
    if conn == "GENERAL":
        postal, address = rng.choice(p.addresses)
        last, first = rng.choice(p.last_names), rng.choice(p.first_names)
        bundle["line_installation"] = {
            "site_postal_code": postal, "site_address": address,
            "desired_completion_date": (date(2027, 1, 5) + timedelta(days=rng.randrange(300))).isoformat(),
            "site_contact_name": f"{last[0]}\u3000{first[0]}", "site_contact_phone": f"03-{rng.randrange(10**4):04d}-1200"}
    if set(methods) & MAILBOX_METHODS:
        bundle["mailbox"] = {"mailboxes": [{"notification_email": f"mbx{k}@{rng.choice(p.mail_domains)}"}
                                           for k in range(rng.choice((1, 1, 2)))]}
    if rng.random() < 0.3:
        postal, address = rng.choice(p.addresses)
        bundle["billing_address"] = {
            "same_as_office": False, "billing_name": rng.choice(p.companies), "billing_postal_code": postal,
            "billing_address": address, "billing_department": rng.choice(p.departments),
            "billing_contact_name": rng.choice(p.last_names)[0] + "\u3000" + rng.choice(p.first_names)[0],
            "billing_phone": f"06-{rng.randrange(10**4):04d}-3300"}
    return bundle


def _half_entered(data: dict) -> dict:
    """What a screen holds while it is being filled in: some fields, not all."""
    if len(data) > 1:
        return dict(list(data.items())[:len(data) // 2])
    key, value = next(iter(data.items()))
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return {key: [dict(list(value[0].items())[1:])]}  # a row without its first field
    return {key: False, "billing_name": "株式会社請求先"}  # 請求先: "other" chosen, one field entered


def _corporate_number(rng: random.Random) -> str:
    base = f"{rng.randrange(10**12):012d}"
    return f"{corporate_number_check_digit(base)}{base}"


def _phone(rng: random.Random) -> tuple[str, str]:
    area = rng.choice(("03", "06", "045", "052", "092", "078"))
    rest = 10 - len(area)
    a, b = f"{rng.randrange(10**(rest - 4)):0{rest - 4}d}", f"{rng.randrange(10**4):04d}"
    return f"{area}-{a}-{b}", f"{area}{a}{b}"


def _weighted(weights: dict[str, int]) -> tuple[list[str], list[int]]:
    keys, cum, total = list(weights), [], 0
    for k in keys:
        total += weights[k]
        cum.append(total)
    return keys, cum


@dataclass
class Staff:
    reviewer_ids: list[int]
    desk_ids: list[int]
    count: int          # staff users take ids 1..count; applicant users follow


class RowFactory:
    """Builds the rows of a slice of applicants (ids start..start+count-1), one application each."""

    def __init__(self, *, seed: int, now: datetime, pools: Pools, staff: Staff, password_hash: str,
                 terms_version_id: int, sections: bool = True) -> None:
        self.rng = random.Random(seed)
        self.now, self.pools, self.staff = now, pools, staff
        self.password_hash, self.terms_version_id, self.sections = password_hash, terms_version_id, sections
        self.statuses = _weighted(STATUS_WEIGHTS)
        self.connections = _weighted(CONNECTION_WEIGHTS)
        self.industries = _weighted(INDUSTRY_WEIGHTS)
        self.next_user_code_id = 1
        self.next_notice_id = 1

    def _days_ago(self, low: float, high: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(low, high))

    def _pick_industries(self) -> list[str]:
        k = self.rng.choices((1, 2, 3), cum_weights=(60, 90, 100))[0]
        chosen: set[str] = set()
        while len(chosen) < k:
            chosen.add(self.rng.choices(self.industries[0], cum_weights=self.industries[1])[0])
        return [i for i in INDUSTRIES if i in chosen]

    def _timeline(self, status: str) -> dict:
        """When the application was created, submitted and decided, so that open items are
        recent (some overdue) and decided ones spread over two years."""
        rng = self.rng
        submitted = first = decided = None
        if status in ("APPROVED", "REJECTED"):
            submitted = self._days_ago(2, HISTORY_DAYS)
            decided = min(submitted + timedelta(days=rng.uniform(0.5, 12)), self.now - timedelta(hours=1))
        elif status == "SUBMITTED":
            submitted = self._days_ago(0, 25)
        elif status == "IN_REVIEW":
            submitted = self._days_ago(0, 30)
        elif status == "RETURNED":
            submitted = self._days_ago(1, 60)
            decided = min(submitted + timedelta(days=rng.uniform(0.5, 5)), self.now - timedelta(hours=1))
        if submitted is not None:
            first = submitted - timedelta(days=rng.uniform(3, 20)) if rng.random() < 0.2 else submitted
            created = first - timedelta(days=rng.uniform(0.1, 20))
        else:
            created = self._days_ago(0, HISTORY_DAYS)
        updated = decided or submitted or created + timedelta(hours=rng.uniform(0, 48))
        return {"created": created, "submitted": submitted, "first": first, "decided": decided,
                "updated": min(updated, self.now)}

    def build(self, start: int, count: int) -> dict[str, list[tuple]]:
        rows: dict[str, list[tuple]] = {t: [] for t in TABLE_ORDER}
        for applicant_id in range(start, start + count):
            self._one(applicant_id, rows)
        return rows

    def build_temp_only(self, start: int, count: int) -> dict[str, list[tuple]]:
        """Applicants with a 仮アカウント and no application yet: some about to expire."""
        rows: dict[str, list[tuple]] = {t: [] for t in TABLE_ORDER}
        for applicant_id in range(start, start + count):
            issued = self._days_ago(0, 4)
            self._applicant(applicant_id, "TEMP_REGISTERED", issued, None, rows)
        return rows

    def _applicant(self, applicant_id: int, status: str, issued: datetime, office: str | None,
                   rows: dict[str, list[tuple]]) -> dict:
        rng, p = self.rng, self.pools
        last, first = rng.choice(p.last_names), rng.choice(p.first_names)
        phone, digits = _phone(rng)
        email = f"u{applicant_id}@{rng.choice(p.mail_domains)}"
        by_phone = rng.random() < 0.1
        person = {"name": f"{last[0]}\u3000{first[0]}", "kana": f"{last[1]}\u3000{first[1]}",
                  "company": rng.choice(p.companies), "department": rng.choice(p.departments),
                  "phone": phone, "email": email,
                  "corporate_number": _corporate_number(rng) if rng.random() < 0.9 else None,
                  "desk_id": rng.choice(self.staff.desk_ids) if by_phone else None}
        temp_id = temp_login_id(applicant_id)
        rows["applicants"].append((
            applicant_id, temp_id, status, person["name"], person["kana"], person["company"],
            person["department"], phone, digits, email, email.lower(), person["corporate_number"],
            self.terms_version_id, issued, "PHONE" if by_phone else "WEB", person["desk_id"], issued,
            issued + timedelta(hours=48), office, False, search_key(person["name"]),
            search_key(person["company"])))
        user_id = self.staff.count + applicant_id
        login = office or temp_id
        rows["users"].append((
            user_id, login, login.lower(), "OFFICE" if office else "TEMP", person["name"], email,
            self.password_hash, False, True, False, applicant_id, issued, issued, issued))
        rows["user_roles"].append((user_id, "applicant"))
        person["user_id"] = user_id
        return person

    def _one(self, app_id: int, rows: dict[str, list[tuple]]) -> None:
        rng = self.rng
        status = rng.choices(self.statuses[0], cum_weights=self.statuses[1])[0]
        conn = rng.choices(self.connections[0], cum_weights=self.connections[1])[0]
        industries = self._pick_industries()
        tl = self._timeline(status)
        approved = status == "APPROVED"
        office = office_code(app_id) if approved else None
        issued = tl["created"] - timedelta(hours=rng.uniform(0.1, 40))
        person = self._applicant(app_id, "OFFICE" if approved else "TEMP_REGISTERED", issued, office, rows)
        assigned = status in ("IN_REVIEW", "APPROVED", "REJECTED", "RETURNED") or (
            status == "SUBMITTED" and rng.random() < SUBMITTED_ASSIGNED_SHARE)
        start_date = None
        if approved:
            start_date = (tl["decided"] + timedelta(days=rng.randint(10, 30))).date()
            while start_date.weekday() >= 5:
                start_date += timedelta(days=1)
        first = tl["first"]
        rows["applications"].append((
            app_id, f"NSS-{first.year}-{app_id:07d}" if first else None, "NEW_USAGE",
            rng.random() < SHARED_USE_SHARE, status, app_id, conn, "|" + "|".join(industries) + "|",
            rng.choice(self.staff.reviewer_ids) if assigned else None, tl["submitted"], first,
            tl["decided"], start_date, "提出書類の不備が解消されないため" if status == "REJECTED" else None,
            tl["created"], tl["updated"], person["desk_id"] or person["user_id"], 1))
        rows["application_industries"] += [(app_id, industry) for industry in industries]
        groups = [industries] if len(industries) == 1 or rng.random() < 0.8 else [industries[:1], industries[1:]]
        code_rows = [{"system_category": rng.choice(SYSTEM_CATEGORIES), "industries": group,
                      "id_number_count": rng.randint(1, 3), "management_reports": rng.random() < 0.5,
                      "bonded_storage_service": rng.random() < 0.2} for group in groups]
        if self.sections:
            self._sections(app_id, status, conn, code_rows, person, tl["updated"], rows)
        if approved:
            self._approval_rows(app_id, code_rows, office, start_date, tl["decided"], rows)

    def _sections(self, app_id: int, status: str, conn: str, code_rows: list[dict], person: dict,
                  updated: datetime, rows: dict[str, list[tuple]]) -> None:
        """One row per wizard screen with the wizard's field names; a draft is filled up to a point."""
        rng, p = self.rng, self.pools
        inputs = len(SECTION_KEYS) - len(_FIELDLESS)
        progress = rng.randrange(inputs + 1) if status == "DRAFT" else inputs
        postal, address = rng.choice(p.addresses)
        bundle = rng.choice(p.line_bundles[conn])
        author = person["desk_id"] or person["user_id"]
        manager = f"{rng.choice(p.last_names)[0]}\u3000{rng.choice(p.first_names)[0]}"
        for k, key in enumerate(SECTION_KEYS):
            if key == "applicant_contact":
                data = _dumps({
                    "application_clerk_name": person["name"], "application_clerk_kana": person["kana"],
                    "application_clerk_department": person["department"], "application_clerk_phone": person["phone"],
                    "application_clerk_email": person["email"], "application_clerk_email_confirm": person["email"],
                    "admin_manager_name": manager, "admin_manager_kana": "カンリ\u3000タントウ",
                    "admin_manager_department": "情報システム部", "admin_manager_phone": person["phone"],
                    "admin_manager_email": "mgr-" + person["email"], "admin_manager_email_confirm": "mgr-" + person["email"]})
            elif key == "office":
                data = _dumps({
                    "company_name": person["company"], "head_office_postal_code": postal,
                    "head_office_address": address, "head_office_phone": person["phone"],
                    "office_name": person["department"], "office_postal_code": postal, "office_address": address,
                    "office_phone": person["phone"], "contractor_name": person["name"],
                    "contractor_title": rng.choice(p.titles), "corporate_number": person["corporate_number"] or "",
                    "connection_type": conn, "security_confirmed": True})
            elif key == "user_code":
                data = _dumps({"user_codes": code_rows})
            else:
                data = bundle.get(key, "{}")
            if key in _FIELDLESS or data == "{}" or k > progress:
                data, sec_status = "{}", "EMPTY"
            elif k < progress:
                sec_status = "COMPLETE"
            else:  # the screen being worked on: its first fields only
                data, sec_status = _dumps(_half_entered(json.loads(data))), "PARTIAL"
            rows["application_sections"].append((
                (app_id - 1) * len(SECTION_KEYS) + k + 1, app_id, key, data, sec_status, updated, author, 1))

    def _approval_rows(self, app_id: int, code_rows: list[dict], office: str, start_date: date,
                       decided: datetime, rows: dict[str, list[tuple]]) -> None:
        """What approval issued: a 利用者コード per requested row, and the ID notice."""
        rng = self.rng
        start_dt = datetime.combine(start_date, datetime.min.time(), tzinfo=decided.tzinfo)
        user_ids: list[str] = []
        for row in code_rows:
            n = self.next_user_code_id
            self.next_user_code_id += 1
            done = rng.random() < (0.95 if start_dt < self.now - timedelta(days=14) else 0.4)
            # Distinct 識別番号 within one 利用者コード (at most 3 of them: n*3+j never repeats).
            id_numbers = [_code(n * 3 + j, ALPHABET, 3, 7) for j in range(min(3, row["id_number_count"]))]
            user_ids += [user_code(n) + i for i in id_numbers]
            rows["user_codes"].append((
                n, app_id, app_id, user_code(n), row["system_category"], _dumps(row["industries"]), _dumps(id_numbers),
                min(decided + timedelta(days=rng.uniform(1, 10)), self.now) if done else None, decided))
        rows["notices"].append((
            self.next_notice_id, app_id, app_id, "ID_NOTICE",
            # No encrypted password (secret): the bench never shows ID notices.
            _dumps({"office_code": office, "start_date": start_date.isoformat(),
                    "display_until": id_notice_display_until(start_date).isoformat(), "user_ids": user_ids}),
            None, decided,
            decided + timedelta(days=1) if rng.random() < 0.8 else None))
        self.next_notice_id += 1
