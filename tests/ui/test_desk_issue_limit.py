"""The desk's 仮アカウント issuing is limited per staff user (services.ratelimit), with its message
on the desk page; the public per-address limit does not apply to it."""
from __future__ import annotations

from services import ratelimit
from services.authz import DESK
from tests.factories import make_staff
from tests.ui.harness import page

PAGE = "screens/desk/search.py"
VALUES = {"contact_name": "佐藤 一郎", "contact_kana": "さとう いちろう", "company_name": "佐藤海運",
          "phone": "03-5555-0000", "email": "ichiro@sato.example.jp", "email_confirm": "ichiro@sato.example.jp",
          "corporate_number": "7000012050002"}


def _issue(at, **changes):
    for name, value in {**VALUES, **changes}.items():
        at.text_input(key=f"desk_new_{name}").input(value)
    at.checkbox(key="desk_new_agreed").check()
    next(b for b in at.button if b.label == "仮アカウントを発行する").click().run()
    return at


def test_desk_over_its_staff_limit_gets_the_message(sqlite_db):
    desk = make_staff("desk1", DESK)
    for _ in range(ratelimit.TEMP_ACCOUNT_PER_CLIENT.limit):  # spends the public page's limit for this address
        ratelimit.admit([(ratelimit.TEMP_ACCOUNT_PER_CLIENT, ratelimit.LOCAL_CLIENT)])
    at = _issue(page(PAGE, desk))
    assert not at.exception and not at.error and "仮アカウントを発行しました" in at.success[0].value
    for _ in range(ratelimit.TEMP_ACCOUNT_PER_STAFF.limit - 1):  # the first issue above counted one
        ratelimit.admit([(ratelimit.TEMP_ACCOUNT_PER_STAFF, str(desk.user_id))])
    # another caller (another 法人番号: the same one would first be flagged as a possible duplicate)
    at = _issue(page(PAGE, desk), corporate_number="7123456789012")
    assert "この職員 ID による仮アカウントの発行が 60 分間の上限に達しました" in "\n".join(e.value for e in at.error)
