"""The page scripts live in screens/, and nothing may bring a pages/ folder back beside app.py.

Streamlit treats a `pages/` folder next to the entry script as its legacy multipage layout until a
session has called st.navigation: the first run of a fresh server's first session then resolves the
URL against that folder and shows "Page not found" (tests/e2e/test_first_session_deep_link.py sees
it in the browser). This check says so at once, without a browser.
"""
from pathlib import Path

from ui.nav import PAGES

ROOT = Path(__file__).resolve().parents[2]


def test_no_pages_folder_beside_the_entry_script():
    assert (ROOT / "app.py").is_file()
    assert not (ROOT / "pages").exists(), "move page scripts to screens/: a pages/ folder is Streamlit's legacy layout"


def test_every_registered_page_script_is_in_screens():
    for page in PAGES:
        assert page.path.startswith("screens/"), page.path
        assert (ROOT / page.path).is_file(), page.path
