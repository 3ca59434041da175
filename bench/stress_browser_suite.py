"""The browser suite on a busy machine (issue 13 item 3): run `pytest tests/e2e` K times in a row
while N busy-loop processes keep the cores busy, and print which tests passed in which run.

    python -m bench.stress_browser_suite [--runs 3] [--burners 2] [--tests tests/e2e] [--until-fail] [-- PYTEST_ARGS...]

The burners are plain Python processes spinning at normal priority (nice 0, one per core by
default), as another program on the machine would be; they start before the first run and are
stopped at the end, also on Ctrl-C or when a run errors. Each run is `CI=true python -m pytest -q
-p no:warnings tests/e2e` (plus PYTEST_ARGS) with its own JUnit XML, so the per-test outcome and
time come from pytest itself. The load average is sampled before and after each run: a failure on
a machine loaded far beyond the burners says less than one at the load they make. Everything runs
on 127.0.0.1 (the suite's own servers). Saves JSON in bench/out/.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _burn() -> None:  # pragma: no cover - runs in a child process until terminated
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # stopped by the parent, not by a Ctrl-C to the group
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    x = 0
    while True:
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF


def start_burners(n: int) -> list[multiprocessing.Process]:
    burners = [multiprocessing.Process(target=_burn, daemon=True, name=f"burner-{i}") for i in range(n)]
    for b in burners:
        b.start()
    return burners


def stop_burners(burners: list[multiprocessing.Process]) -> None:
    for b in burners:
        if b.is_alive():
            b.terminate()
    for b in burners:
        b.join(timeout=5)
        if b.is_alive():
            b.kill()


def outcomes(junit: Path) -> dict[str, tuple[str, float, str]]:
    """test id → (passed / failed / error / skipped, seconds, first line of the failure)."""
    found: dict[str, tuple[str, float, str]] = {}
    if not junit.exists():
        return found
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
        result, message = "passed", ""
        for kind in ("failure", "error", "skipped"):
            el = case.find(kind)
            if el is not None:
                result = "failed" if kind == "failure" else kind
                message = (el.get("message") or "").splitlines()[0][:160] if el.get("message") else ""
                break
        found[name] = (result, float(case.get("time") or 0), message)
    return found


def run_suite(index: str, targets: list[str], extra: list[str], out_dir: Path) -> dict:
    junit = out_dir / f"stress-e2e-run{index}.xml"
    env = {**os.environ, "CI": "true"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:warnings", "-p", "no:cacheprovider",
               f"--junitxml={junit}", *targets, *extra]
    load_before = os.getloadavg()
    started = time.monotonic()
    log = out_dir / f"stress-e2e-run{index}.log"
    with open(log, "w") as fh:
        suite = subprocess.Popen(command, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
        try:
            rc = suite.wait()
        except KeyboardInterrupt:
            # pytest ends on SIGINT after its fixtures' teardown (servers stopped); killed only if stuck.
            suite.send_signal(signal.SIGINT)
            try:
                suite.wait(timeout=120)
            except subprocess.TimeoutExpired:
                suite.kill()
            raise
    return {"run": index, "rc": rc, "seconds": round(time.monotonic() - started, 1), "log": str(log),
            "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
            "tests": {k: list(v) for k, v in outcomes(junit).items()}}


def print_summary(results: list[dict], burners: int) -> None:
    names = sorted({n for r in results for n in r["tests"]})
    width = max([len(n) for n in names] + [10])
    print(f"\nBrowser suite under stress: {burners} busy-loop process(es), {os.cpu_count()} CPU(s)")
    print(f"{'test':<{width}} " + " ".join(f"run{i + 1:<6}" for i in range(len(results))))
    for n in names:
        cells = []
        for r in results:
            outcome, seconds, _ = r["tests"].get(n, ("-", 0, ""))
            cells.append(f"{'ok' if outcome == 'passed' else outcome.upper()[:4]} {seconds:>4.0f}s")
        print(f"{n:<{width}} " + " ".join(f"{c:<9}" for c in cells))
    for i, r in enumerate(results, start=1):
        failed = [n for n, v in r["tests"].items() if v[0] in ("failed", "error")]
        print(f"run {i} ({r['run']}): rc={r['rc']} {r['seconds']:.0f} s, load {r['load_before']} → {r['load_after']}, "
              f"{len(r['tests']) - len(failed)}/{len(r['tests'])} passed" + (f"; failed: {failed}" if failed else ""))
        for n in failed:
            print(f"    {n}: {r['tests'][n][2]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--burners", type=int, default=os.cpu_count() or 2, help="busy-loop processes (default: one per CPU)")
    parser.add_argument("--tests", nargs="+", default=["tests/e2e"], help="what pytest runs (default: tests/e2e)")
    parser.add_argument("--until-fail", action="store_true", help="stop after the first run with a failure")
    args, extra = parser.parse_known_args(argv)
    extra = [a for a in extra if a != "--"]
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")

    # A background shell starts us with SIGINT ignored, and SIGTERM would skip the clean-up below:
    # both become KeyboardInterrupt, so the burners and the suite's servers always stop.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    burners = start_burners(args.burners)
    results: list[dict] = []
    try:
        for i in range(1, args.runs + 1):
            result = run_suite(f"{stamp}-{i}", args.tests, extra, out_dir)
            results.append(result)
            print(f"run {i}: rc={result['rc']} in {result['seconds']:.0f} s, load {result['load_after']}", flush=True)
            if args.until_fail and result["rc"] != 0:
                break
    except KeyboardInterrupt:
        print("interrupted: stopping the burners", file=sys.stderr)
    finally:
        stop_burners(burners)
    print_summary(results, args.burners)
    saved = out_dir / f"stress_browser_suite-{stamp}.json"
    saved.write_text(json.dumps({"burners": args.burners, "cpus": os.cpu_count(), "pytest_args": extra,
                                 "runs": results}, ensure_ascii=False, indent=1))
    print(f"saved {saved}")
    return 0 if results and all(r["rc"] == 0 for r in results) and len(results) == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
