"""Cold start (issue 9 item 3): a fresh data folder → the first login page drawn in a browser.

    python -m bench.bench_cold_start [--runs 5] [--compare OTHER_CHECKOUT]

Per run, with a new empty data folder and a free port: the clock starts, then what `dev.py run`
starts after installing (`manage.py serve`: the prepare step, then the Streamlit server; a checkout
without it: `streamlit run app.py`), /_stcore/health polled, Debian's Chromium (launched once, a new
page per run) opens the server and waits until the login form's パスワード field is drawn and the
script is idle. The baseline is the same for a one-line Streamlit page (`st.write`). bcrypt at
NSS_BCRYPT_ROUNDS (default 12, as production). The kinds take turns in each round, so load from
other processes hits all alike. Prints medians and the load average, and the server process's CPU
seconds up to the drawn page (less sensitive to the other load); saves JSON in bench/out/.

`--compare PATH` measures another checkout in the same rounds, e.g. the commit before the prepare
step: `git archive <commit> | tar -x -C /tmp/old && ln -s $PWD/.venv /tmp/old/.venv`.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.measure import figure, print_table, save

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TRIVIAL_PAGE = 'import streamlit as st\nst.write("hello")\n'
TARGET = "Target (issue 9 item 3): fresh data folder → first login page drawn ≤ 5 s (median)."
_IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]');
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "NSS_COOKIE_KEY", "NSS_DEMO", "SMTP_HOST", "TEST_DATABASE_URL")}
    env.update(NSS_DATA_DIR=data_dir, NSS_BCRYPT_ROUNDS=os.environ.get("NSS_BCRYPT_ROUNDS", "12"),
               STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    return env


def start_command(root: Path, script: str | None, port: int) -> tuple[str, list[str]]:
    """What `dev.py run` of that checkout starts after installing (`manage.py serve` where it has one,
    else `streamlit run app.py`), or `streamlit run <script>` for the baseline."""
    python = str(root / ".venv" / "bin" / "python")
    options = ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
    if script is None and "def serve(" in (root / "manage.py").read_text(encoding="utf-8"):
        return "manage.py serve (prepare, then streamlit)", [python, "manage.py", "serve", *options]
    return "streamlit run", [python, "-m", "streamlit", "run", script or "app.py", *options]


def _wait_healthy(port: int, proc: subprocess.Popen, started: float) -> None:
    while True:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited before answering /_stcore/health")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.perf_counter() - started > 180:
            raise RuntimeError("no /_stcore/health answer within 180 s")
        time.sleep(0.05)


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far, every thread and waited-for child (/proc/<pid>/stat): on a
    shared machine it depends far less on the other load than the wall time does."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def one_run(browser, root: Path, script: str | None, ready: str) -> dict[str, float]:
    """Seconds from the empty data folder to `ready` drawn (and when /_stcore/health first answered),
    and the server process's CPU seconds by then."""
    data_dir, port = tempfile.mkdtemp(prefix="nss-bench-cold-"), _free_port()
    _, command = start_command(root, script, port)
    page = browser.new_page()
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=root, env=_env(data_dir), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(port, proc, started)
        healthy = time.perf_counter() - started
        page.goto(f"http://127.0.0.1:{port}/", timeout=180_000)
        page.get_by_label(ready, exact=True).or_(page.get_by_text(ready, exact=True)).first.wait_for(timeout=180_000)
        page.wait_for_function(_IDLE, timeout=180_000, polling=20)
        drawn = time.perf_counter() - started
        return {"healthy": healthy, "drawn": drawn, "server_cpu": cpu_seconds(proc.pid)}
    finally:
        page.close()
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to start (default: this one)")
    parser.add_argument("--compare", type=Path, action="append", default=[],
                        help="another checkout measured in the same rounds (e.g. the commit before)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the one-line page")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    trivial_dir = Path(tempfile.mkdtemp(prefix="nss-bench-trivial-"))
    (trivial_dir / "trivial.py").write_text(TRIVIAL_PAGE, encoding="utf-8")
    kinds: dict[str, tuple[Path, str | None, str]] = {}
    for root in [args.root.resolve(), *(r.resolve() for r in args.compare)]:
        how, _ = start_command(root, None, 0)
        kinds[f"app: {how} [{root.name}]"] = (root, None, "パスワード")
    if not args.no_baseline:
        kinds["trivial page: streamlit run (st.write)"] = (args.root.resolve(), str(trivial_dir / "trivial.py"), "hello")
    samples: dict[str, list[dict[str, float]]] = {k: [] for k in kinds}
    load = os.getloadavg()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for i in range(args.runs):
                for name, (root, script, ready) in kinds.items():
                    t = one_run(browser, root, script, ready)
                    samples[name].append(t)
                    print(f"[{i + 1}/{args.runs}] {name}: " + ", ".join(f"{k} {v:.2f} s" for k, v in t.items()),
                          flush=True)
            browser.close()
    finally:
        shutil.rmtree(trivial_dir, ignore_errors=True)
    load_after = os.getloadavg()
    figures = []
    for name, runs in samples.items():
        figures.append(figure(f"cold start → first page drawn: {name}", "sqlite", 0, [r["drawn"] for r in runs],
                              healthy_median_s=round(statistics.median(r["healthy"] for r in runs), 2),
                              server_cpu_median_s=round(statistics.median(r["server_cpu"] for r in runs), 2),
                              root=str(kinds[name][0])))
    print_table(figures, "Cold start (sqlite, fresh data folder)")
    print(f"load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    print(TARGET)
    print("saved", save(figures, "cold_start"))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
