"""Usage import (issue 11 item 2): time and peak memory of importing a usage CSV.

    python -m bench.bench_usage_import [--rows 10000 100000] [--codes 2000] [--backends sqlite postgres]

Per backend and size, a child process (so that its peak RSS is the import's own) makes a scratch
database with `--codes` 利用者コード, writes a CSV of `rows` rows (codes × past months) to a temporary
file, and imports it through services.billing.usage_import.import_usage from the open file — as the
admin page does — once new and once more with "replace" (every row replaces one). Peak RSS is
ru_maxrss after the import minus before it (the file is on disk, not in memory): flat memory
shows as the same growth at 10k and 100k rows. Prints a table; saves JSON in bench/out/.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

from bench.measure import figure, print_table, save
from bench.scratch import BACKENDS, exit_cleanly_on_sigterm, reachable_backends, scratch_database, use_database


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _setup_codes(n: int) -> list[str]:
    """One office with n 利用者コード, in bulk (the import only needs the codes to exist)."""
    from sqlalchemy import insert

    from db.models import Applicant, Application, UserCode
    from services import clock
    from services.bootstrap import ensure_terms
    from services.temp_accounts import terms_in_force
    from services.uow import UnitOfWork
    ensure_terms()
    now = clock.now()
    with UnitOfWork() as u:
        s = u.session
        applicant = Applicant(temp_login_id="TBENCH0001", status="OFFICE", contact_name="山田 太郎",
                              contact_kana="ヤマダ タロウ", company_name="ベンチ物流株式会社", phone="03-1234-5678",
                              phone_digits="0312345678", email="b@example.jp", email_lower="b@example.jp",
                              terms_version_id=terms_in_force(s).id, terms_agreed_at=now, terms_agreed_via="WEB",
                              issued_at=now, temp_expires_at=now + timedelta(days=2))
        s.add(applicant)
        s.flush()
        app = Application(kind="NEW_USAGE", shared_use=False, status="APPROVED", applicant_id=applicant.id,
                          created_at=now, updated_at=now)
        s.add(app)
        s.flush()
        codes = [f"B{i:05d}" for i in range(n)]
        s.execute(insert(UserCode), [{"applicant_id": applicant.id, "application_id": app.id, "user_code": c,
                                      "system_category": "海上", "industries": ["通関業"], "id_numbers": ["001"],
                                      "created_at": now} for c in codes])
        u.commit()
    return codes


def _write_csv(path: str, codes: list[str], rows: int) -> None:
    from services import clock
    from services.billing.months import add_months, month_label, month_of
    months = -(-rows // len(codes))
    this = month_of(clock.today_jst())
    labels = [month_label(add_months(this, -i)) for i in range(months)]
    written = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("利用者コード,年月,利用額\r\n")
        for label in labels:
            for i, code in enumerate(codes):
                if written == rows:
                    return
                f.write(f"{code},{label},{(i * 7919) % 90_000}\r\n")
                written += 1


def child(url: str, rows: int, codes_n: int) -> None:
    use_database(url)
    from db.engine import get_engine
    from db.migrate import upgrade
    upgrade(get_engine())
    from services.authz import ADMIN, Actor, UserKind
    from services.billing.usage_import import import_usage
    codes = _setup_codes(codes_n)
    admin = Actor(user_id=None, login_id="bench-admin", display_name="bench", kind=UserKind.STAFF,  # type: ignore[arg-type]
                  roles=frozenset({ADMIN}))
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "usage.csv")
        _write_csv(path, codes, rows)
        out["file_mb"] = os.path.getsize(path) / 1e6
        for label, replace in (("new", False), ("replace", True)):
            before = _rss_mb()
            t0 = time.perf_counter()
            with open(path, "rb") as f:
                done = import_usage(admin, f, "usage.csv", replace=replace)
            out[f"{label}_s"] = time.perf_counter() - t0
            out[f"{label}_rss_growth_mb"] = _rss_mb() - before
            assert done.row_count == rows
    out["peak_rss_mb"] = _rss_mb()
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--codes", type=int, default=2000)
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS))
    parser.add_argument("--child", nargs=3, metavar=("URL", "ROWS", "CODES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    exit_cleanly_on_sigterm()
    figures = []
    for backend in reachable_backends(args.backends):
        for rows in args.rows:
            with scratch_database(backend, f"usage_{rows}") as url:
                result = subprocess.run([sys.executable, "-m", "bench.bench_usage_import", "--child", url, str(rows),
                                         str(args.codes)], capture_output=True, text=True, env=os.environ.copy())
                if result.returncode:
                    sys.exit(result.stderr)
                r = json.loads(result.stdout.strip().splitlines()[-1])
            for label in ("new", "replace"):
                figures.append(figure(f"usage import ({label})", backend, rows, [r[f"{label}_s"]],
                                      rss_growth_mb=round(r[f"{label}_rss_growth_mb"], 1),
                                      peak_rss_mb=round(r["peak_rss_mb"], 1), file_mb=round(r["file_mb"], 1)))
    print_table(figures, "Usage import")
    print(f"\nsaved {save(figures, 'usage_import')}")


if __name__ == "__main__":
    main()
