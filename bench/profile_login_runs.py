"""What one login costs the server (issue 13 item 2): the script runs a login click starts, each
run's CPU time and wall time, and where the CPU goes.

    .venv/bin/python -m bench.profile_login_runs [--logins 3] [--bcrypt-rounds 12] [--top 25]

N applicants as bench_browsers makes them (temporary accounts with a started application), each
logged in through app.py with Streamlit's AppTest, one after another, in one process: the first
login pays the imports of the pages it reaches, the later ones show the steady cost. Printed per
login: (thread CPU s, wall s) of every run the click started; then a cProfile of the last login
(all its runs, in the script thread), by cumulative time.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logins", type=int, default=3)
    parser.add_argument("--bcrypt-rounds", type=int, default=int(os.environ.get("NSS_BCRYPT_ROUNDS", "12")))
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)

    from bench.bench_browsers import PASSWORD, prepare
    data_dir = Path(tempfile.mkdtemp(prefix="nss-profile-login-"))
    applicants = prepare(data_dir, args.logins, args.bcrypt_rounds)
    os.environ.update({"NSS_DATA_DIR": str(data_dir), "NSS_DEMO": "1", "NSS_BCRYPT_ROUNDS": str(args.bcrypt_rounds)})
    os.environ.setdefault("NSS_COOKIE_KEY", "bench-profile-key-" + "Vq3Lz8Rk1Tn6Wp0Xs4Hm9Jd2Fb7Gc5")
    os.environ.pop("DATABASE_URL", None)
    import config
    config.settings.cache_clear()

    import streamlit.runtime.scriptrunner.script_runner as script_runner
    from streamlit.testing.v1 import AppTest
    run_script = script_runner.exec_func_with_error_handling
    seen: dict = {"profile": None, "runs": []}

    def measured(func, ctx):  # every script run, in the script thread
        cpu, wall = time.thread_time(), time.perf_counter()
        profile = seen["profile"]
        if profile:
            profile.enable()
        try:
            return run_script(func, ctx)
        finally:
            if profile:
                profile.disable()
            seen["runs"].append((round(time.thread_time() - cpu, 3), round(time.perf_counter() - wall, 3)))
    script_runner.exec_func_with_error_handling = measured

    for i, applicant in enumerate(applicants):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        at.text_input[0].input(applicant.login_id)
        at.text_input[1].input(PASSWORD)
        button = next(b for b in at.button if b.label == "ログイン")
        seen["runs"] = []
        if i == len(applicants) - 1:
            seen["profile"] = cProfile.Profile()
        button.click().run()
        logged_in = any("でログイン中" in c.value for c in at.caption)
        print(f"login {i + 1}: {len(seen['runs'])} runs (thread CPU s, wall s): {seen['runs']}"
              f"{'' if logged_in else '  NOT LOGGED IN'}")
    print()
    pstats.Stats(seen["profile"]).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
