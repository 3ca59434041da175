"""Fill a migrated database with N applicants and their applications, fast.

    python -m bench.generate --backend sqlite --n 100000 [--keep] [--no-sections]
    python -m bench.generate --backend postgres --n 1000000

SQLite: SQLAlchemy Core executemany in batches, one transaction per batch.
Postgres: psycopg COPY per table per batch (an order of magnitude faster than INSERT at 1,000,000).
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta

import bcrypt
from sqlalchemy import JSON, Engine, Text, column, func, insert, select, table, text

from bench.datagen import COLUMNS, EXTRA_TEMP_APPLICANT_SHARE, TABLE_ORDER, RowFactory, Staff, make_pools
from db.engine import get_engine
from db.migrate import upgrade
from db.models import Application, ApplicationSection, Base
from services import clock

REVIEWERS, DESK = 10, 4
STAFF_PASSWORD = "bench-staff-pass-2026"


@dataclass
class Generated:
    url: str
    applications: int
    applicants: int
    seconds: float
    staff: Staff
    reviewer_login_ids: list[str] = field(default_factory=list)

    @property
    def backend(self) -> str:
        return "postgres" if self.url.startswith("postgresql") else "sqlite"


def _typed_table(name: str):
    """A Core table with the model's column types, except JSON columns which take ready text."""
    model = Base.metadata.tables[name]
    names = COLUMNS.get(name) or [c.name for c in model.columns]
    return table(name, *(column(c, Text() if isinstance(model.c[c].type, JSON) else model.c[c].type)
                         for c in names))


class _SqliteWriter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.tables = {name: _typed_table(name) for name in TABLE_ORDER}

    def write(self, rows: dict[str, list[tuple]]) -> None:
        with self.engine.begin() as conn:
            for name in TABLE_ORDER:
                if rows.get(name):
                    cols = COLUMNS[name]
                    conn.execute(insert(self.tables[name]), [dict(zip(cols, r, strict=True)) for r in rows[name]])

    def finish(self) -> None:
        """Nothing to do: SQLite autoincrement continues after the largest id."""


class _PostgresWriter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def write(self, rows: dict[str, list[tuple]]) -> None:
        raw = self.engine.raw_connection()
        try:
            with raw.cursor() as cur:
                for name in TABLE_ORDER:
                    if rows.get(name):
                        with cur.copy(f"COPY {name} ({', '.join(COLUMNS[name])}) FROM STDIN") as copy:
                            for row in rows[name]:
                                copy.write_row(row)
            raw.commit()
        finally:
            raw.close()

    def finish(self) -> None:
        """Explicit ids were written, so move every id sequence past them; then refresh statistics
        the way autovacuum would on a live database."""
        with self.engine.begin() as conn:
            for name in TABLE_ORDER + ("terms_versions",):
                if "id" in Base.metadata.tables[name].c:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                      f"COALESCE((SELECT max(id) FROM {name}), 0) + 1, false)"))
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.autocommit = True
            with raw.cursor() as cur:
                cur.execute("VACUUM ANALYZE")
        finally:
            # The connection goes back to the pool: left in autocommit, later `begin()` blocks would
            # not be transactions at all (their statements committed one by one, rollbacks ignored).
            raw.driver_connection.autocommit = False
            raw.close()


def writer_for(engine: Engine) -> _SqliteWriter | _PostgresWriter:
    """Bulk writer for rows in COLUMNS order: `write(rows by table)` per batch, `finish()` at the end."""
    return _PostgresWriter(engine) if engine.dialect.name == "postgresql" else _SqliteWriter(engine)


def _insert_base_rows(engine: Engine, password_hash: str, now) -> tuple[Staff, list[str]]:
    """The terms version and the staff: reviewers (ids 1..REVIEWERS), desk, one admin."""
    staff = [(f"bench-reviewer-{i:02d}", "reviewer") for i in range(1, REVIEWERS + 1)]
    staff += [(f"bench-desk-{i:02d}", "desk") for i in range(1, DESK + 1)] + [("bench-admin", "admin")]
    users = _typed_table("users")
    with engine.begin() as conn:
        conn.execute(insert(_typed_table("terms_versions")), [{"id": 1, "version": "1.0", "body": "bench terms",
                                                     "created_at": now - timedelta(days=800),
                                                     "effective_from": now - timedelta(days=800)}])
        conn.execute(insert(users), [dict(zip(COLUMNS["users"], (
            i, login, login, "STAFF", f"{role} {i}", f"{login}@example.jp", password_hash, False, True, False,
            None, now - timedelta(days=800), now - timedelta(days=800), now - timedelta(days=800)), strict=True))
            for i, (login, role) in enumerate(staff, start=1)])
        conn.execute(insert(_typed_table("user_roles")),
                     [{"user_id": i, "role": role} for i, (_, role) in enumerate(staff, start=1)])
    return (Staff(reviewer_ids=list(range(1, REVIEWERS + 1)),
                  desk_ids=list(range(REVIEWERS + 1, REVIEWERS + DESK + 1)), count=len(staff)),
            [login for login, role in staff if role == "reviewer"])


def generate(url: str, n: int, *, seed: int = 2026, sections: bool = True, batch: int = 5000,
             password_hash: str | None = None, progress=None) -> Generated:
    """Migrate the (empty) database at `url` and fill it with `n` applications."""
    started = time.perf_counter()
    engine = get_engine(url)
    upgrade(engine)
    now = clock.now()
    # One hash for everybody: hashing per row would take hours. Staff can log in with STAFF_PASSWORD.
    password_hash = password_hash or bcrypt.hashpw(STAFF_PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    staff, reviewer_logins = _insert_base_rows(engine, password_hash, now)
    writer = writer_for(engine)
    factory = RowFactory(seed=seed, now=now, pools=make_pools(seed), staff=staff, password_hash=password_hash,
                         terms_version_id=1, sections=sections)
    for start in range(1, n + 1, batch):
        writer.write(factory.build(start, min(batch, n + 1 - start)))
        if progress:
            progress(min(start + batch - 1, n), n)
    extra = max(1, int(n * EXTRA_TEMP_APPLICANT_SHARE))
    writer.write(factory.build_temp_only(n + 1, extra))
    writer.finish()
    return Generated(url=url, applications=n, applicants=n + extra, seconds=time.perf_counter() - started,
                     staff=staff, reviewer_login_ids=reviewer_logins)


def summarise(url: str) -> dict:
    """Counts that show the spread (used by the unit test and printed by the CLI)."""
    engine = get_engine(url)
    with engine.connect() as conn:
        def grouped(col):
            return dict(conn.execute(select(col, func.count()).group_by(col)).all())
        industries = conn.execute(select(Application.industries)).scalars().all()
        return {
            "applications": conn.scalar(select(func.count()).select_from(Application)),
            "sections": conn.scalar(select(func.count()).select_from(ApplicationSection)),
            "status": grouped(Application.status),
            "connection_type": grouped(Application.connection_type),
            "shared_use": grouped(Application.shared_use),
            "assigned": conn.scalar(select(func.count()).where(Application.assignee_id.is_not(None))),
            "industry_counts": _industry_histogram(industries),
            "submitted_range": conn.execute(select(func.min(Application.submitted_at),
                                                   func.max(Application.submitted_at))).one(),
        }


def _industry_histogram(values: list[str | None]) -> dict[int, int]:
    hist: dict[int, int] = {}
    for v in values:
        k = len((v or "").strip("|").split("|"))
        hist[k] = hist.get(k, 0) + 1
    return hist


def main(argv: list[str] | None = None) -> int:
    from bench.scratch import scratch_database
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--no-sections", action="store_true", help="skip the 9 section rows per application")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file under bench/out/")
    args = parser.parse_args(argv)
    with scratch_database(args.backend, f"gen_{args.n}", keep=args.keep) as url:
        result = generate(url, args.n, sections=not args.no_sections,
                          progress=lambda done, total: print(f"  {done:>9,}/{total:,}", end="\r", file=sys.stderr))
        print(f"\n{args.backend}: {result.applications:,} applications, {result.applicants:,} applicants "
              f"in {result.seconds:.1f} s ({result.applications / result.seconds:,.0f} applications/s)")
        for key, value in summarise(url).items():
            print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
