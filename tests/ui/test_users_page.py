from services.authz import ADMIN
from tests.factories import make_staff
from tests.ui.harness import page, texts


def test_admin_adds_a_staff_member_and_sees_the_password_once(sqlite_db):
    at = page("screens/admin/users.py", make_staff("adm1", ADMIN))
    assert not at.exception and at.title[0].value == "職員アカウント"
    at.text_input[1].input("rev02")
    at.text_input[2].input("審査 二郎")
    at.text_input[3].input("rev02@example.jp")
    at.multiselect[0].select("reviewer")
    next(b for b in at.button if b.label == "追加してパスワードを発行").click().run()
    assert "rev02 のパスワードを発行しました" in texts(at)
    at.run()
    assert "rev02 のパスワードを発行しました" not in texts(at)


def test_bad_input_shows_messages_next_to_fields(sqlite_db):
    at = page("screens/admin/users.py", make_staff("adm1", ADMIN))
    at.text_input[1].input("x")
    next(b for b in at.button if b.label == "追加してパスワードを発行").click().run()
    errors = [e.value for e in at.error]
    assert any("職員 ID は半角英字で始まる" in e for e in errors)
    assert "入力してください。" in errors
    assert "役割を 1 つ以上選んでください。" in errors
