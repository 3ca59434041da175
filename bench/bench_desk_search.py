"""Desk search at scale: 100,000 applicants, every search kind, median of 30 runs (target < 50 ms).

    .venv/bin/python bench/bench_desk_search.py [--applicants 100000] [--runs 30] [--explain]

Always measures a scratch SQLite file; also a scratch PostgreSQL database (created and dropped here)
when BENCH_DATABASE_URL or TEST_DATABASE_URL points at a server. Each run searches a different value
taken from the generated data, through services.desk.search.find_callers (what the page calls).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import jaconv
from faker import Faker
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import config  # noqa: E402
from db.engine import dispose_all, get_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import Applicant, Application, ApplicationSection, TermsVersion, User  # noqa: E402
from db.search_text import search_key  # noqa: E402
from services import clock  # noqa: E402
from services.application.sections import INPUT_SECTIONS  # noqa: E402
from services.authz import DESK, Actor  # noqa: E402
from services.desk import query as q  # noqa: E402
from services.desk.search import find_callers  # noqa: E402

BATCH = 5000
STATUSES = ["DRAFT"] * 5 + ["SUBMITTED", "IN_REVIEW", "RETURNED", "APPROVED", "APPROVED", "REJECTED"]
AREA_CODES = ["03", "06", "045", "052", "092", "011", "090", "080", "070"]
ASCII_COMPANY_WORDS = ["Blue Ocean", "Pacific", "Global", "Sakura", "Harbor", "Marine", "Sky Cargo"]


def _pools(fake: Faker, size: int = 3000):
    last = [fake.last_name_pair() for _ in range(size)]
    first = [fake.first_name_pair() for _ in range(size)]
    # ASCII words also stored in full-width (ＡＢＣ) as some callers type them: search folds both.
    companies = [fake.company() for _ in range(size)] + [f"{w} {fake.last_name()}物流" for w in
                                                           ASCII_COMPANY_WORDS for _ in range(50)] \
        + [f"{jaconv.h2z(w, ascii=True)} {fake.last_name()}" for w in ASCII_COMPANY_WORDS for _ in range(10)]
    return last, first, companies


def _phone(rng: random.Random) -> str:
    area = rng.choice(AREA_CODES)
    rest = f"{rng.randrange(10**8):08d}" if len(area) == 2 else f"{rng.randrange(10**7):07d}"
    return f"{area}-{rest[:-4]}-{rest[-4:]}"


def _applicant_rows(n: int, terms_id: int, rng: random.Random, fake: Faker):
    last, first, companies = _pools(fake)
    now = clock.now()
    for i in range(1, n + 1):
        (ln, lk, lr), (fn, fk, fr) = rng.choice(last), rng.choice(first)
        phone = _phone(rng)
        email = f"{fr}.{lr}{i}@{rng.choice(['example.jp', 'Example.co.jp', 'mail.example.com'])}"
        issued = now - timedelta(hours=rng.randrange(24 * 400))
        office = f"O{i:07d}" if rng.random() < 0.15 else None
        name, company = f"{ln} {fn}", rng.choice(companies)
        yield {"id": i, "temp_login_id": f"T{i:09d}", "status": "OFFICE" if office else "TEMP_REGISTERED",
               "contact_name": name, "contact_name_search": search_key(name), "company_name_search": search_key(company),
               "contact_kana": f"{lk}\u3000{fk}", "company_name": company,
               "department": "業務部", "phone": phone, "phone_digits": phone.replace("-", ""), "email": email,
               "email_lower": email.lower(), "corporate_number": f"{rng.randrange(10**13):013d}",
               "terms_version_id": terms_id, "terms_agreed_at": issued, "terms_agreed_via": "WEB",
               "issued_at": issued, "temp_expires_at": issued + timedelta(hours=48), "office_code": office,
               "is_demo": False}


def _batched(rows, size=BATCH):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def generate(url: str, n: int) -> None:
    """Core executemany inserts in batches; ~70% of applicants have an application, drafts have screens."""
    engine = get_engine(url)
    upgrade(engine)
    rng, fake = random.Random(2026), Faker("ja_JP")
    Faker.seed(2026)
    now = clock.now()
    with engine.begin() as conn:
        terms_id = conn.execute(insert(TermsVersion).values(version="1.0", body="terms", created_at=now,
                                                            effective_from=now)
                                .returning(TermsVersion.id)).scalar_one()
        conn.execute(insert(User).values(id=1, login_id="bench-desk", login_key="bench-desk", kind="STAFF",
                                         display_name="bench", password_hash="x", sessions_valid_after=now,
                                         password_changed_at=now, created_at=now))
        for batch in _batched(_applicant_rows(n, terms_id, rng, fake)):
            conn.execute(insert(Applicant), batch)
        apps, sections, app_id = [], [], 0
        for applicant_id in range(1, n + 1):
            if rng.random() < 0.3:
                continue
            app_id += 1
            status = rng.choice(STATUSES)
            apps.append({"id": app_id, "kind": "NEW_USAGE", "shared_use": False, "status": status,
                         "applicant_id": applicant_id, "created_at": now, "updated_at": now, "version": 1})
            if status == "DRAFT":
                sections += [{"application_id": app_id, "section_key": sec.key, "data": {}, "version": 1,
                              "status": "COMPLETE", "updated_at": now}
                             for sec in INPUT_SECTIONS[:rng.randrange(len(INPUT_SECTIONS))]]
            if len(apps) >= BATCH:
                _flush(conn, apps, sections)
                apps, sections = [], []
        _flush(conn, apps, sections)
    _settle(engine)


def _settle(engine) -> None:
    """What autovacuum does on a live database: planner statistics, and on PostgreSQL the GIN
    pending list merged (a fresh bulk load leaves it long, and every trigram search reads it)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def _flush(conn, apps: list[dict], sections: list[dict]) -> None:
    if apps:
        conn.execute(insert(Application), apps)
    if sections:
        conn.execute(insert(ApplicationSection), sections)


def _samples(url: str, runs: int) -> dict[str, list[tuple[str, str]]]:
    """Per search kind, `runs` (query, field) pairs drawn from the data (typed as a caller would)."""
    rng = random.Random(7)
    with get_engine(url).connect() as conn:
        rows = conn.execute(select(Applicant.contact_name, Applicant.contact_kana, Applicant.phone,
                                   Applicant.email, Applicant.company_name, Applicant.corporate_number,
                                   Applicant.temp_login_id, Applicant.office_code)
                            .order_by(Applicant.id).limit(5000)).all()
    pick = lambda: rng.choice(rows)  # noqa: E731
    offices = [r.office_code for r in rows if r.office_code]
    return {
        "name (full, partial match)": [(pick().contact_name.split(" ")[1], q.AUTO) for _ in range(runs)],
        "name (2 chars, many hits)": [(pick().contact_name.split(" ")[0][:2], q.NAME) for _ in range(runs)],
        "name (no match)": [(f"該当無{i}", q.NAME) for i in range(runs)],
        "kana prefix (hiragana)": [(jaconv.kata2hira(pick().contact_kana[:3]), q.AUTO)
                                   for _ in range(runs)],
        "phone full (no hyphens)": [(pick().phone.replace("-", ""), q.AUTO) for _ in range(runs)],
        "phone prefix (full-width)": [(jaconv.h2z(pick().phone[:7], digit=True, ascii=True), q.AUTO)
                                      for _ in range(runs)],
        "mail (upper case)": [(pick().email.upper(), q.AUTO) for _ in range(runs)],
        "company (partial)": [(pick().company_name[-4:], q.COMPANY) for _ in range(runs)],
        "company (full-width stored, ASCII typed)": [(rng.choice(ASCII_COMPANY_WORDS).lower(), q.COMPANY)
                                                     for _ in range(runs)],
        "company (ASCII word)": [(rng.choice(ASCII_COMPANY_WORDS).lower(), q.AUTO) for _ in range(runs)],
        "free text (name or company or code)": [(pick().contact_name.split(" ")[0], q.AUTO) for _ in range(runs)],
        "corporate number": [(pick().corporate_number, q.AUTO) for _ in range(runs)],
        "temp login ID (lower case)": [(pick().temp_login_id.lower(), q.AUTO) for _ in range(runs)],
        "office code": [(rng.choice(offices).lower(), q.OFFICE_CODE) for _ in range(runs)],
    }


def measure(url: str, runs: int) -> list[tuple[str, float, float, int]]:
    os.environ["DATABASE_URL"] = url
    config.settings.cache_clear()
    actor = Actor(user_id=1, login_id="bench-desk", display_name="bench", kind="STAFF", roles=frozenset({DESK}))
    out = []
    for label, queries in _samples(url, runs).items():
        find_callers(actor, *queries[0])  # warm the cache and the statement cache
        times, totals = [], []
        for query, field in queries:
            start = time.perf_counter()
            result = find_callers(actor, query, field)
            times.append((time.perf_counter() - start) * 1000)
            totals.append(result.total)
        out.append((label, statistics.median(times), max(times), int(statistics.median(totals))))
    return out


def explain(url: str) -> None:
    """Show the PostgreSQL plans of the main conditions (are the indexes used?)."""
    checks = {  # label: (condition, order, partial match: planned the way find_callers asks for)
        "kana prefix": ("contact_kana COLLATE \"C\" LIKE 'ヤマ%'", "contact_kana COLLATE \"C\", id", False),
        "phone prefix": ("phone_digits LIKE '0312%'", "id DESC", False),
        "mail prefix": ("email_lower LIKE 'taro%'", "id DESC", False),
        "name partial": ("contact_name_search LIKE '%美智子%'", "id DESC", True),
        "company partial": ("company_name_search LIKE '%pacific%'", "id DESC", True),
    }
    engine = create_engine(url)
    for label, (cond, order, partial) in checks.items():
        with engine.begin() as conn:
            if partial:
                conn.execute(text("SET LOCAL enable_seqscan = off"))
                conn.execute(text("SET LOCAL enable_indexscan = off"))
            plan = conn.execute(text(f"EXPLAIN SELECT id FROM applicants WHERE {cond} ORDER BY {order} LIMIT 1000"))
            print(f"-- {label}: {cond}")
            print("\n".join("   " + r[0] for r in plan))
    engine.dispose()


def _print(backend: str, n: int, figures) -> None:
    print(f"\n{backend}, {n:,} applicants (median / max of each search kind, ms; target median < 50 ms)")
    print(f"{'search':40} {'median':>8} {'max':>8} {'hits':>6}")
    for label, med, worst, hits in figures:
        flag = "" if med < 50 else "  <-- over target"
        print(f"{label:40} {med:8.1f} {worst:8.1f} {hits:6d}{flag}")


def run_sqlite(n: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        start = time.perf_counter()
        generate(url, n)
        print(f"SQLite: generated in {time.perf_counter() - start:.1f} s")
        _print("SQLite", n, measure(url, runs))
        dispose_all()


def run_postgres(admin_url: str, n: int, runs: int, show_plans: bool) -> None:
    name = f"nss_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        start = time.perf_counter()
        generate(url, n)
        print(f"PostgreSQL: generated in {time.perf_counter() - start:.1f} s")
        if show_plans:
            explain(url)
        _print("PostgreSQL", n, measure(url, runs))
    finally:
        dispose_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="print PostgreSQL plans")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("NSS_DEMO", "0")
    if not args.skip_sqlite:
        run_sqlite(args.applicants, args.runs)
    pg = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if pg:
        run_postgres(pg, args.applicants, args.runs, args.explain)
    else:
        print("\nPostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to measure it.")


if __name__ == "__main__":
    main()
