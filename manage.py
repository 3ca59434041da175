"""Command-line administration.

    python manage.py create-admin --login-id admin01 --name "管理 太郎" [--email a@example.jp]
    python manage.py prepare     # migrations, reference rows, demo data in demo mode, then exit
    python manage.py serve [streamlit options]   # what `dev.py run` starts: prepare, then the server
    python manage.py run-jobs    # every due background job once (the cut-off), then exit: cron / systemd

The password comes from NSS_ADMIN_PASSWORD or is asked for twice at the prompt; there is no
default. The new administrator must change it at first login.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys


def _password(login_id: str) -> str:
    from locales import translate
    from services.passwords import policy_errors
    password = os.environ.get("NSS_ADMIN_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            sys.exit("Set NSS_ADMIN_PASSWORD or run in a terminal to be asked for the password.")
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            sys.exit("The passwords do not match.")
    problems = policy_errors(password, login_id)
    if problems:
        sys.exit("\n".join(translate("en", e.code, **e.params) for e in problems))
    return password


def create_admin(login_id: str, name: str, email: str | None) -> None:
    from sqlalchemy import select

    from db.engine import get_engine
    from db.migrate import upgrade
    from db.models import User
    from services import audit
    from services.audit import AuditAction
    from services.auth import create_user, login_key
    from services.authz import ADMIN
    from services.uow import UnitOfWork
    upgrade(get_engine())
    password = _password(login_id)
    with UnitOfWork() as u:
        s = u.session
        if s.scalar(select(User.id).where(User.login_key == login_key(login_id))):
            sys.exit(f"A user {login_id!r} already exists.")
        user = create_user(s, login_id=login_id, display_name=name, password=password, roles={ADMIN},
                           email=email, must_change_password=True)
        s.flush()
        audit.record(s, None, AuditAction.USER_CREATED_BY_CLI, target_type="user", target_id=user.id,
                     after={"login_id": login_id, "roles": [ADMIN]})
        u.commit()
    print(f"Administrator {login_id} created; the password must be changed at first login.")


def prepare(*, freeze: bool = False) -> None:
    """The set-up before the server takes requests; the server only checks that it was done.

    Without the cyclic garbage collector: the imports and the demo seed make about a million objects
    that either live on (modules, caches) or are freed by their reference counts (ORM rows), and the
    collector's passes over them cost 0.4-0.6 s of a 4 s set-up (timed with gc.callbacks) for ~16,000
    objects found. `freeze` (serve): what is left is frozen (gc.freeze) before the collector is on
    again, so the server's first collection does not walk all of it (0.15 s) and later ones skip it;
    the seed's few cycles (~3 MB) stay in the server process."""
    import gc
    import time

    gc.disable()
    try:
        from services.bootstrap import prepare as prepare_database
        started = time.perf_counter()
        prepare_database()
    finally:
        if freeze:
            gc.freeze()
        gc.enable()
    print(f"Database prepared in {time.perf_counter() - started:.1f} s.", flush=True)


def serve(streamlit_args: list[str]) -> None:
    """`dev.py run`: the set-up (`prepare`) in this process, then this process becomes the Streamlit
    server, which takes requests only once the set-up is done. What the set-up loaded (SQLAlchemy,
    the services, Faker) is loaded once, not again by the first page run; the periodic mail sender
    starts in this process too (app.py's start-up check). A failed set-up starts no server."""
    from pathlib import Path

    prepare(freeze=True)
    from streamlit.web import cli
    sys.argv = ["streamlit", "run", str(Path(__file__).resolve().parent / "app.py"), *streamlit_args]
    cli.main(prog_name="streamlit")


def run_jobs(only: list[str] | None = None) -> int:
    """Every due job once; exit status 1 when one failed (cron and systemd report it)."""
    from services import jobs
    registry = {job.name: job for job in jobs.JOBS}
    unknown = sorted(set(only or ()) - set(registry))
    if unknown:
        sys.exit(f"Unknown job(s): {', '.join(unknown)}. Jobs: {', '.join(registry)}")
    runs = jobs.run_due_jobs([registry[name] for name in only] if only else jobs.JOBS)
    for run in runs:
        detail = run.error or (json.dumps(run.result, ensure_ascii=False) if run.result is not None else "")
        print(f"{run.name}: {run.outcome}{' ' + detail if detail else ''}", flush=True)
    return 1 if any(run.outcome == jobs.Outcome.FAILED for run in runs) else 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="manage.py")
    sub = parser.add_subparsers(dest="command", required=True)
    ca = sub.add_parser("create-admin", help="create an administrator (password from prompt or NSS_ADMIN_PASSWORD)")
    ca.add_argument("--login-id", required=True)
    ca.add_argument("--name", required=True)
    ca.add_argument("--email")
    sub.add_parser("prepare", help="migrate, add reference rows and (demo mode) demo data, then exit")
    sub.add_parser("serve", help="prepare, then run the Streamlit server (further options go to streamlit run)")
    rj = sub.add_parser("run-jobs", help="run every due background job once (the system-settings cut-off), then exit")
    rj.add_argument("--job", action="append", metavar="NAME", help="only this job (repeatable)")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:  # the rest is streamlit's, options included: not for argparse
        serve(argv[1:])
        return
    args = parser.parse_args(argv)
    if args.command == "create-admin":
        create_admin(args.login_id, args.name, args.email)
    elif args.command == "prepare":
        prepare()
    elif args.command == "run-jobs":
        sys.exit(run_jobs(args.job))


if __name__ == "__main__":
    main()
