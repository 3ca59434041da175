"""The admin home's counts (issue 11 item 8): failing and retrying mails, locked staff, recent
usage imports, the terms in force and those with a future effective date, recent 掲示板 changes."""
from __future__ import annotations

import pytest

from services import admin_home
from services import bulletin_board as board
from services.authz import ADMIN, DESK
from services.errors import PermissionDenied
from services.mail import MailStatus
from tests import admin_home_helpers as h
from tests.factories import TEST_PDF, make_staff


def test_empty_system_needs_nothing(db):
    figures = admin_home.attention(make_staff("adm1", ADMIN))
    assert not figures.needs_action
    assert (figures.mails_failed, figures.locked_staff, figures.recent_imports, figures.board_changes) == (0, 0, 0, 0)


def test_counts_what_needs_an_administrator(db):
    admin = make_staff("adm1", ADMIN)
    make_staff("desk1", DESK)
    h.mail(MailStatus.FAILED, 5)
    h.mail(MailStatus.FAILED, 5)
    h.mail(MailStatus.PENDING, 2)   # failed once, waiting for its next attempt
    h.mail(MailStatus.PENDING, 0)   # just queued: nothing wrong
    h.mail(MailStatus.SENT, 1)
    h.failed_logins("desk1")
    h.failed_logins("nobody")       # a typed ID that is no account: not a locked staff account
    h.failed_logins("adm1", 2)      # under the threshold
    h.usage_import(1)
    h.usage_import(2, undone=True)  # undone: not counted
    h.usage_import(30)              # not recent
    h.terms("1", in_days=-1)
    h.terms("2")                    # the later effective moment is in force
    h.terms("3", in_days=5)         # written, not yet in force: listed as scheduled
    old = board.add_notice(admin, "お知らせ", "本文")
    board.retire_notice(admin, old)  # one notice, added and retired: one item
    board.add_file(admin, "様式", "form.pdf", TEST_PDF)
    figures = admin_home.attention(admin)
    assert figures.needs_action
    assert (figures.mails_failed, figures.mails_retrying, figures.locked_staff) == (2, 1, 1)
    assert figures.recent_imports == 1 and figures.latest_import_at is not None
    assert figures.terms_version == "2"
    assert [t.version for t in figures.terms_scheduled] == ["3"]
    assert figures.board_changes == 2


def test_only_administrators(db):
    with pytest.raises(PermissionDenied):
        admin_home.attention(make_staff("desk1", DESK))
