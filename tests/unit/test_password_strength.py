"""The strength rule of services/passwords.py (issue 8 item 11) and the generator that must pass it."""
import pytest

from services import passwords

WEAK = ["aaaaaaaaaa", "1234567890", "password12", "qwertyuiop"]


@pytest.mark.parametrize("weak", WEAK)
def test_the_four_reported_passwords_are_weak(weak):
    assert [e.code for e in passwords.policy_errors(weak, "rev1")] == ["password.weak"]


def test_a_good_password_has_no_error():
    assert passwords.policy_errors("Kiso-Umbrella-Orbit-73", "rev1") == []


def test_the_users_own_data_counts_as_guessable():
    assert passwords.policy_errors("yamadataro1", None, ("yamadataro",))[0].code == "password.weak"


def test_over_72_bytes_is_too_long_whatever_the_characters():
    assert not passwords.too_long("A" * 72) and passwords.too_long("A" * 73)
    assert passwords.too_long("パ" * 25)  # 75 bytes in UTF-8
    assert passwords.policy_errors("A" * 80, None)[0].code == "password.length"


def test_generated_passwords_always_meet_the_policy():
    for _ in range(200):
        assert passwords.policy_errors(passwords.generate_password(), "T123456789") == []


def test_generated_passwords_for_a_login_id_never_contain_it():
    for _ in range(100):
        assert "ab" not in passwords.generate_password(14, login_id="ab").lower()
