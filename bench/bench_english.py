"""English names of システム設定申込 (issue 10 item 2): what the suggestion and the check cost.

    python -m bench.bench_english [--runs 200]

First suggestion in a fresh process (pykakasi imported and its dictionaries loaded, once per
process), then per call with the suggestion cache cleared (pykakasi's own small caches stay warm,
as on a running server), and normalise_english per call. Prints a table; saves JSON in bench/out/.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from bench.measure import figure, print_table, save

NAMES = ("株式会社山田物流", "横浜営業所", "山田　太郎", "東京都千代田区丸の内１－２－３　丸の内ビル５階",
         "合同会社ＡＢＣトレーディング", "大阪府大阪市北区梅田３丁目１番３号", "髙橋 一郎", "成田空港営業所")
_FIRST_CALL = ("import time; t = time.perf_counter(); "
               "from services.system_settings.english import suggest_english; "
               "suggest_english('株式会社山田物流'); print(time.perf_counter() - t)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()

    from services.system_settings.english import normalise_english, suggest_english

    cold = [float(subprocess.run([sys.executable, "-c", _FIRST_CALL], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(args.cold_runs)]
    suggest_english(NAMES[0])  # this process: load once
    uncached, typed = [], []
    for i in range(args.runs):
        suggest_english.cache_clear()
        t0 = time.perf_counter()
        suggest_english(NAMES[i % len(NAMES)])
        uncached.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        normalise_english("ＹＡＭＡＤＡ　Ｂｕｔｓｕｒｙｕ　Ｃｏ．，　Ｌｔｄ．")
        typed.append(time.perf_counter() - t0)
    figures = [figure("suggest_english: first call in a new process (import + dictionaries)", "-", 1, cold),
               figure("suggest_english: one name, not cached", "-", len(NAMES), uncached,
                      median_us=statistics.median(uncached) * 1e6),
               figure("normalise_english: one full-width name", "-", 1, typed,
                      median_us=statistics.median(typed) * 1e6)]
    print_table(figures, "English names")
    print(f"\nsaved {save(figures, 'english')}")


if __name__ == "__main__":
    main()
