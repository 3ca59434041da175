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

from db.reference import CONNECTION_TYPES, INDUSTRIES, LINE_TYPES, PROCESSING_METHODS, SYSTEM_CATEGORIES
from services.codes import ALPHABET, DIGITS
from services.fields import corporate_number_check_digit

SECTION_KEYS = ("applicant_contact", "office", "user_code", "line_terminal", "line_installation",
                "mailbox", "terminal_certificate", "fee_plan", "billing_address")

# Mostly decided or abandoned, a working queue of open items (SPEC §2.2 statuses).
STATUS_WEIGHTS = {"APPROVED": 45, "DRAFT": 30, "SUBMITTED": 9, "IN_REVIEW": 6, "RETURNED": 5, "REJECTED": 5}
CONNECTION_WEIGHTS = {"NET": 65, "GENERAL": 35}
# Forwarders and customs brokers dominate NACCS users; the tail is thin.
INDUSTRY_WEIGHTS = dict(zip(INDUSTRIES, (4, 10, 25, 2, 6, 6, 2, 5, 5, 2, 20, 6, 8, 1, 3)))
SHARED_USE_SHARE = 0.10
EXTRA_TEMP_APPLICANT_SHARE = 0.03   # 仮アカウント issued but no application started yet
HISTORY_DAYS = 730
DECIDERS_SHARE_ASSIGNED_SUBMITTED = 0.2

COLUMNS: dict[str, tuple[str, ...]] = {
    "applicants": ("id", "temp_login_id", "status", "contact_name", "contact_kana", "company_name",
                   "department", "phone", "phone_digits", "email", "email_lower", "corporate_number",
                   "terms_version_id", "terms_agreed_at", "terms_agreed_via", "issued_by_user_id",
                   "issued_at", "temp_expires_at", "office_code", "is_demo"),
    "applications": ("id", "ref_no", "kind", "shared_use", "status", "applicant_id", "connection_type",
                     "industries", "assignee_id", "submitted_at", "first_submitted_at", "decided_at",
                     "start_date", "decision_reason", "created_at", "updated_at", "created_by_user_id",
                     "version"),
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
TABLE_ORDER = ("applicants", "users", "user_roles", "applications", "application_sections", "user_codes",
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
    generic_sections: dict[tuple[str, str], list[str]]  # (section, connection type) -> JSON texts


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
        generic_sections={},
    )
    for conn in CONNECTION_TYPES:
        for key, builder in _GENERIC_BUILDERS.items():
            pools.generic_sections[(key, conn)] = [_dumps(builder(rng, pools, conn)) for _ in range(200)]
    return pools


def _line_terminal(rng: random.Random, _p: Pools, conn: str) -> dict:
    return {"line_type": "インターネット" if conn == "NET" else rng.choice(LINE_TYPES[1:]),
            "processing_method": rng.choice(PROCESSING_METHODS[conn]),
            "logical_terminals": rng.choice((1, 1, 2, 3, 5, 10)), "servers": rng.choice((0, 1, 2))}


def _line_installation(rng: random.Random, p: Pools, conn: str) -> dict:
    if conn == "NET":
        return {"required": False}
    postal, address = rng.choice(p.addresses)
    last, first = rng.choice(p.last_names), rng.choice(p.first_names)
    return {"required": True, "postal_code": postal, "address": address,
            "desired_date": (date(2026, 1, 5) + timedelta(days=rng.randrange(400))).isoformat(),
            "contact_name": f"{last[0]}\u3000{first[0]}", "contact_phone": f"03-{rng.randrange(10**4):04d}-0000"}


def _mailbox(rng: random.Random, p: Pools, _conn: str) -> dict:
    count = rng.choice((0, 0, 1, 2))
    return {"mailboxes": [{"notify": f"mbx{i}@{rng.choice(p.mail_domains)}"} for i in range(count)]}


def _terminal_certificate(rng: random.Random, p: Pools, conn: str) -> dict:
    return {"terminals": [{"site": rng.choice(p.addresses)[1], "certificate": conn == "NET"}
                          for _ in range(rng.choice((1, 1, 2, 3)))]}


def _fee_plan(rng: random.Random, _p: Pools, _conn: str) -> dict:
    return {"plan": rng.choice(("A", "B")), "expected_monthly_usage": rng.choice((10_000, 25_000, 50_000))}


def _billing_address(rng: random.Random, p: Pools, _conn: str) -> dict:
    if rng.random() < 0.7:
        return {"same_as_office": True}
    postal, address = rng.choice(p.addresses)
    return {"same_as_office": False, "name": rng.choice(p.companies), "postal_code": postal,
            "address": address, "department": rng.choice(p.departments)}


_GENERIC_BUILDERS = {"line_terminal": _line_terminal, "line_installation": _line_installation,
                     "mailbox": _mailbox, "terminal_certificate": _terminal_certificate,
                     "fee_plan": _fee_plan, "billing_address": _billing_address}


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
            issued + timedelta(hours=48), office, False))
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
            status == "SUBMITTED" and rng.random() < DECIDERS_SHARE_ASSIGNED_SUBMITTED)
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
        if self.sections:
            self._sections(app_id, status, conn, industries, person, tl["updated"], rows)
        if approved:
            self._approval_rows(app_id, industries, office, start_date, tl["decided"], rows)

    def _sections(self, app_id: int, status: str, conn: str, industries: list[str], person: dict,
                  updated: datetime, rows: dict[str, list[tuple]]) -> None:
        rng, p = self.rng, self.pools
        progress = rng.randrange(len(SECTION_KEYS) + 1) if status == "DRAFT" else len(SECTION_KEYS)
        postal, address = rng.choice(p.addresses)
        author = person["desk_id"] or person["user_id"]
        for k, key in enumerate(SECTION_KEYS):
            if k > progress:
                data, sec_status = "{}", "EMPTY"
            else:
                sec_status = "COMPLETE" if k < progress else "PARTIAL"
                if key == "applicant_contact":
                    contact = {f: person[f] for f in ("name", "kana", "department", "phone", "email")}
                    data = _dumps({"contact": contact, "application_clerk": contact,
                                   "admin_manager": {**contact, "name": rng.choice(p.last_names)[0] + "\u3000"
                                                     + rng.choice(p.first_names)[0]}})
                elif key == "office":
                    data = _dumps({"company_name": person["company"], "head_office_postal_code": postal,
                                   "head_office_address": address, "head_office_phone": person["phone"],
                                   "office_name": person["company"] + " " + person["department"],
                                   "office_postal_code": postal, "office_address": address,
                                   "contractor_name": person["name"], "contractor_title": rng.choice(p.titles),
                                   "corporate_number": person["corporate_number"], "security_confirmed": True,
                                   "connection_type": conn})
                elif key == "user_code":
                    data = _dumps({"rows": [{"system_category": rng.choice(SYSTEM_CATEGORIES),
                                             "industries": industries, "id_number_count": rng.randint(1, 3),
                                             "management_reports": rng.choice(("PAID", "FREE")),
                                             "bonded_storage": rng.random() < 0.2}]})
                else:
                    data = rng.choice(p.generic_sections[(key, conn)])
            rows["application_sections"].append((
                (app_id - 1) * len(SECTION_KEYS) + k + 1, app_id, key, data, sec_status, updated, author, 1))

    def _approval_rows(self, app_id: int, industries: list[str], office: str, start_date: date,
                       decided: datetime, rows: dict[str, list[tuple]]) -> None:
        """What approval issued: 利用者コード rows and the ID notice."""
        rng = self.rng
        groups = [industries] if len(industries) == 1 or rng.random() < 0.8 else [industries[:1], industries[1:]]
        start_dt = datetime.combine(start_date, datetime.min.time(), tzinfo=decided.tzinfo)
        for group in groups:
            n = self.next_user_code_id
            self.next_user_code_id += 1
            done = rng.random() < (0.95 if start_dt < self.now - timedelta(days=14) else 0.4)
            id_numbers = [_code(n * 3 + j, ALPHABET, 3, 7) for j in range(rng.randint(1, 3))]
            rows["user_codes"].append((
                n, app_id, app_id, user_code(n), rng.choice(SYSTEM_CATEGORIES), _dumps(group), _dumps(id_numbers),
                min(decided + timedelta(days=rng.uniform(1, 10)), self.now) if done else None, decided))
        rows["notices"].append((
            self.next_notice_id, app_id, app_id, "ID_NOTICE",
            _dumps({"office_code": office, "start_date": start_date.isoformat()}), None, decided,
            decided + timedelta(days=1) if rng.random() < 0.8 else None))
        self.next_notice_id += 1
