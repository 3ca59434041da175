"""romanise.release (issue 9 item 6): the set-up that `manage.py serve` runs in the server process
lets pykakasi's ~100 MB of dictionaries go; the next suggestion loads them again, unchanged."""
import sys

from services.system_settings import romanise


def test_release_drops_the_dictionaries_and_the_next_use_reloads_them():
    before = romanise.romanise("東京物流株式会社")
    assert romanise.release() is True
    assert sys.modules["pykakasi.kanji"].Kanwa._shared_state["_jisyo_table"] is None
    assert romanise.release() is False  # nothing loaded any more
    assert romanise.romanise("東京物流株式会社") == before
    assert sys.modules["pykakasi.kanji"].Kanwa._shared_state["_jisyo_table"] is not None
