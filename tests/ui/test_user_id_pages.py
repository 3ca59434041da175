"""The 利用者ID issued on approval on the four screens that need it (issue 13 item 7), in a
monospace code span with the hint on look-alike characters."""
import re

import pytest
from sqlalchemy import select

from db.models import Notice
from services.authz import DESK, REVIEWER
from services.notices import NoticeKind
from services.uow import UnitOfWork
from services.user_ids import user_ids
from services.workflow import ApplicationStatus
from tests.factories import applicant_actor, make_application, make_staff
from tests.ui.harness import page
from ui.desk import OPEN_CALLER_KEY

HINT = "紛らわしい 0（ゼロ）・O（オー）・1（イチ）・I（アイ）は使われていません"


@pytest.fixture
def approved(sqlite_db):
    app_id, applicant_id = make_application(status=ApplicationStatus.APPROVED)
    ids = user_ids(make_staff("rev9", REVIEWER), applicant_id)
    assert ids and all(re.fullmatch(r"[A-Z2-9]{8}", i) for i in ids)
    return app_id, applicant_id, ids


def _shown(at, ids: list[str]) -> None:
    assert not at.exception
    markdown = "\n".join(m.value for m in at.markdown)
    for code in ids:
        assert f"`{code}`" in markdown  # a code span: monospace
    assert any(HINT in c.value for c in at.caption)


def test_the_id_notice_shows_the_user_ids(approved):
    _, applicant_id, ids = approved
    with UnitOfWork() as u:
        notice_id = u.session.scalar(select(Notice.id).where(Notice.applicant_id == applicant_id,
                                                             Notice.kind == NoticeKind.ID_NOTICE))
    at = page("screens/applicant/notices.py", applicant_actor(applicant_id))
    at.button(key=f"nt_open_{notice_id}").click().run()
    _shown(at, ids)


def test_the_applicants_application_view_shows_them(approved):
    _, applicant_id, ids = approved
    _shown(page("screens/applicant/application_view.py", applicant_actor(applicant_id)), ids)


def test_the_desk_record_shows_them(approved):
    _, applicant_id, ids = approved
    _shown(page("screens/desk/search.py", make_staff("desk1", DESK), **{OPEN_CALLER_KEY: applicant_id}), ids)


def test_the_reviewer_detail_shows_them(approved):
    app_id, _, ids = approved
    _shown(page("screens/review/detail.py", make_staff("rev1", REVIEWER), review_app_id=app_id), ids)


def test_before_approval_no_user_id_line(sqlite_db):
    app_id, _ = make_application()
    at = page("screens/review/detail.py", make_staff("rev1", REVIEWER), review_app_id=app_id)
    assert not at.exception and not any("利用者ID" in m.value for m in at.markdown)
