"""The demo seed per seeder (issue 9 items 3 and 5): seconds, flushes and SQL statements on a fresh,
migrated SQLite database (or `--url`), load average printed.

    python -m bench.bench_demo_seed [--url postgresql+psycopg://…] [--runs 1]
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def run_once(url: str | None) -> list[tuple[str, float, int, int]]:
    tmp = tempfile.mkdtemp(prefix="nss-seed-")
    os.environ.pop("DATABASE_URL", None)
    if url:
        os.environ["DATABASE_URL"] = url
    os.environ["NSS_DATA_DIR"] = str(Path(tmp) / "data")
    os.environ["NSS_DEMO"] = "1"
    import config
    config.settings.cache_clear()
    from faker import Faker
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from db.engine import get_engine
    from db.migrate import upgrade
    from services import bootstrap, bulletin_board, codes
    from services.demo import accounts, seeding
    from services.uow import UnitOfWork
    upgrade(get_engine())
    bootstrap.ensure_terms()
    bulletin_board.ensure_survey_forms()
    hashes = accounts.HashesAhead()
    hashes.wait()
    counts = {"flush": 0, "sql": 0}
    event.listen(Session, "before_flush", lambda *_a: counts.__setitem__("flush", counts["flush"] + 1))
    event.listen(get_engine(), "before_cursor_execute",
                 lambda *_a: counts.__setitem__("sql", counts["sql"] + 1))
    rows = []
    with UnitOfWork() as u, hashes.used():
        fake = Faker("ja_JP")
        Faker.seed(2026)
        with codes.batch(u.session):
            for seeder in seeding.SEEDERS:
                counts.update(flush=0, sql=0)
                t = time.perf_counter()
                seeder(u, fake)
                u.flush()
                rows.append((f"{seeder.__module__.rsplit('.', 1)[-1]}.{seeder.__name__}",
                             time.perf_counter() - t, counts["flush"], counts["sql"]))
        u.commit()
    return rows


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--url")
    args = p.parse_args()
    load = os.getloadavg()[0]
    t = time.perf_counter()
    rows = run_once(args.url)
    total = time.perf_counter() - t
    print(f"load average {load:.2f} → {os.getloadavg()[0]:.2f}")
    print(f"{'seeder':55} {'s':>7} {'flushes':>8} {'SQL':>6}")
    for name, secs, flushes, sql in rows:
        print(f"{name:55} {secs:7.3f} {flushes:8d} {sql:6d}")
    print(f"{'seed total':55} {sum(r[1] for r in rows):7.3f} {sum(r[2] for r in rows):8d} {sum(r[3] for r in rows):6d}")
    print(f"with migrations and hashes: {total:.2f} s")


if __name__ == "__main__":
    main()
