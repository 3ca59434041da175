"""passwords.issued_ahead: the demo seed's approvals take passwords generated and hashed ahead."""
import threading

import bcrypt

from services import passwords


def _pair(monkeypatch) -> tuple[str, str]:
    monkeypatch.setenv("NSS_BCRYPT_ROUNDS", "4")
    password = passwords.generate_password()
    return password, passwords.hash_password(password)


def test_inside_the_pairs_are_handed_out_and_their_hash_is_not_made_again(monkeypatch):
    first, second = _pair(monkeypatch), _pair(monkeypatch)
    calls: list[bytes] = []
    real = bcrypt.hashpw
    monkeypatch.setattr(bcrypt, "hashpw", lambda pw, salt: calls.append(pw) or real(pw, salt))
    with passwords.issued_ahead(iter([first, second])):
        assert passwords.generate_password() == first[0]
        assert passwords.hash_password(first[0]) == first[1]
        assert passwords.generate_password() == second[0]
        assert passwords.hash_password(second[0]) == second[1]
        assert calls == []
        third = passwords.generate_password()  # the supply ran out: generated and hashed as always
        assert third not in (first[0], second[0])
        assert passwords.verify_password(third, passwords.hash_password(third)) and calls == [third.encode()]
    assert passwords.generate_password() not in (first[0], second[0])


def test_a_made_ahead_hash_serves_only_the_handed_out_password_in_this_thread(monkeypatch):
    pair = _pair(monkeypatch)
    with passwords.issued_ahead(iter([pair])):
        assert passwords.hash_password(pair[0]) != pair[1]  # not handed out yet: hashed afresh
        seen: list[str] = []
        other = threading.Thread(target=lambda: seen.append(passwords.generate_password()))
        other.start()
        other.join()
        assert seen[0] != pair[0]  # another thread (a page run beside the seed) is not served
        assert passwords.generate_password() == pair[0]
    assert passwords.hash_password(pair[0]) != pair[1]  # outside: hashed afresh, salt and all


def test_a_pair_that_breaks_the_policy_for_the_login_id_is_skipped(monkeypatch):
    password, hashed = _pair(monkeypatch)
    login_id = password[2:8]  # contained in the password: refused for this login ID
    with passwords.issued_ahead(iter([(password, hashed)])):
        issued = passwords.generate_password(login_id=login_id)
        assert issued != password and not passwords.policy_errors(issued, login_id)
        assert passwords.hash_password(password) != hashed
