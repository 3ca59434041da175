"""AppTest: a hostile システム構成図 is refused on the wizard's office screen with its own message,
shown next to the uploader (under 「システム構成図を添付する」), and nothing is attached."""
import pytest
import streamlit as st

from locales import translate
from services.application.attachments import list_attachments
from services.application.sections import OFFICE
from tests import filesamples as fs
from tests.factories import fill_all, make_applicant, started
from tests.ui.harness import page, shown

WIZARD = "screens/applicant/application.py"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _attach(at, name: str, content: bytes):
    at.file_uploader[0].set_value((name, content, "application/octet-stream")).run()
    next(b for b in at.button if b.key == "wiz_attach").click().run()
    assert not at.exception
    return at


@pytest.mark.parametrize(("name", "make", "code"), [
    ("構成図.pdf", lambda: fs.pdf() + fs.EXE, "wizard.error.file_trailing_data"),
    ("構成図.png", lambda: b"\x89PNG\r\n\x1a\n" + fs.HTML, "wizard.error.file_image_invalid"),
    ("構成図.xlsx", lambda: fs.ooxml("xlsm"), "wizard.error.file_office_macro"),
    ("構成図.docx", lambda: fs.zip_bomb("docx", 200), "wizard.error.file_archive_too_large"),
], ids=["pdf+exe", "png+html", "xlsm", "zip-bomb"])
def test_hostile_diagram_shows_its_own_message_and_attaches_nothing(sqlite_db, name, make, code):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "GENERAL")
    at = _attach(page(WIZARD, actor, wiz_current=OFFICE), name, make())
    params = {"max_entries": "1,000", "max_mb": 50, "max_ratio": 100}
    assert [shown(e.value) for e in at.error] == [translate("ja", code, **params)]  # params escaped as text
    assert list_attachments(actor, app_id) == []


def test_valid_diagram_is_attached(sqlite_db):
    actor = make_applicant()
    app_id = started(actor)
    fill_all(actor, app_id, "GENERAL")
    at = _attach(page(WIZARD, actor, wiz_current=OFFICE), "構成図 v1.png", fs.image())
    assert not at.error
    assert [a.file_name for a in list_attachments(actor, app_id)] == ["構成図 v1.png"]
