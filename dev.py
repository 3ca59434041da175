#!/usr/bin/env python3
"""The README's two commands, needing nothing but Python 3.11+:

    python3 dev.py run     # create .venv, install, prepare the database, start the app on http://localhost:8501
    python3 dev.py test    # create .venv, install the test tools, run every test

Installs again only when a requirements file changed. Extra arguments go to streamlit / pytest.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _venv_works() -> bool:
    """A first run interrupted while creating .venv leaves one without pip: rebuild it then."""
    if not PYTHON.exists():
        return False
    probe = subprocess.run([str(PYTHON), "-m", "pip", "--version"], capture_output=True)
    return probe.returncode == 0


def _ensure(requirements: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 -- dev.py may be started by an older interpreter: say why it stops
        sys.exit("Python 3.11 or newer is needed.")
    if not _venv_works():
        if VENV.exists():
            print("Rebuilding a broken or half-made .venv ...", flush=True)
            shutil.rmtree(VENV)
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    files = [ROOT / "requirements.txt", ROOT / requirements]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installing {requirements} into .venv ...", flush=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                    "-r", str(ROOT / requirements)], check=True)
    stamp.write_text(digest)


def _static_checks() -> int:
    """ruff (lint + import order) and mypy (services/, db/) before the tests: a violation fails."""
    for check in (["ruff", "check", "."], ["mypy"]):
        print(f"== {' '.join(check)}", flush=True)
        code = subprocess.call([str(PYTHON), "-m", *check])
        if code:
            return code
    return 0


def streamlit_command(extra: list[str]) -> list[str]:
    """The `streamlit run` command line. In demo mode (the embedded default) the server listens on
    127.0.0.1 only: its login page offers one-click staff logins. NSS_DEMO_PUBLIC=1 lifts that."""
    import config  # stdlib only at import time, so the system Python can read the settings
    port = os.environ.get("PORT", "8501")
    command = [str(PYTHON), "-m", "streamlit", "run", "app.py", "--server.port", port]
    address = config.demo_bind_address(config.load_settings())
    if address:
        command += ["--server.address", address]
    return [*command, *extra]


def serve_command(extra: list[str]) -> list[str]:
    """What `run` starts: `manage.py serve` prepares the database (migrations, demo data), then the
    same process runs `streamlit_command`'s server, so no visitor's first page run waits for the set-up."""
    command = streamlit_command(extra)
    return [command[0], "manage.py", "serve", *command[5:]]  # without `-m streamlit run app.py`


def parallel_args(extra: list[str]) -> list[str]:
    """Two pytest workers (pytest-xdist) unless the caller chose (`-n`, `-p no:xdist`) or
    NSS_TEST_WORKERS says otherwise. `--dist worksteal` spreads the browser tests over both workers
    too: they are collected first (tests/e2e), so the longest tests start first, and a worker that
    runs out takes tests queued for the other (with `--dist load` one worker was still working
    through its first queue of browser tests for the last 4 minutes while the other was done). Measured on the 2-core machine with other work on it: the whole suite in one process
    39.5 min; two workers with every browser test on one of them took 25 min even on a quiet
    machine (that worker was the critical path); two workers sharing them, 23 min under load 5-7.
    Each browser test has its own server, port and data folder, and waits for what the user
    waits for, so two of them at once is one more busy machine for them (issue 13 item 3)."""
    if any(a == "-n" or a.startswith(("--numprocesses", "-n")) or a == "no:xdist" for a in extra):
        return []
    workers = os.environ.get("NSS_TEST_WORKERS", str(min(2, os.cpu_count() or 1)))
    if workers in ("0", "1"):
        return []
    return ["-n", workers, "--dist", "worksteal"]


def _refuses_to_start() -> bool:
    """A weak cookie key and the like: say why and do not start a server that would report healthy
    while every page fails (config.py checks it with the installed libraries)."""
    return subprocess.call([str(PYTHON), str(ROOT / "config.py")]) != 0


def main() -> int:
    command, extra = (sys.argv[1] if len(sys.argv) > 1 else "run"), sys.argv[2:]
    os.chdir(ROOT)
    if command == "run":
        _ensure("requirements.txt")
        if _refuses_to_start():
            return 2
        return subprocess.call(serve_command(extra))
    if command == "test":
        _ensure("requirements-dev.txt")
        return _static_checks() or subprocess.call([str(PYTHON), "-m", "pytest", *parallel_args(extra), *extra])
    if command == "bench":
        _ensure("requirements-dev.txt")
        return subprocess.call([str(PYTHON), "-m", "bench.run_all", *extra])
    sys.exit(f"unknown command {command!r}: use run, test or bench")


if __name__ == "__main__":
    sys.exit(main())
