"""Password hashing, policy and generation (SPEC §6)."""
from __future__ import annotations

import os
import secrets
import string
from functools import lru_cache

import bcrypt

from services.errors import FieldError

MIN_LENGTH, MAX_LENGTH = 10, 64
# Generated passwords avoid characters that are easy to misread on paper or over the phone.
_GEN_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0Oo1lI")


def _rounds() -> int:
    return int(os.environ.get("NSS_BCRYPT_ROUNDS", "12"))


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("ascii"), bcrypt.gensalt(_rounds())).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))
    except ValueError:  # over bcrypt's 72 bytes, or a malformed hash
        return False


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """Checked for unknown or locked IDs so a failed login takes as long as a real one."""
    return hash_password(secrets.token_urlsafe(16))


def policy_errors(password: str, login_id: str | None) -> list[FieldError]:
    errors: list[FieldError] = []
    if not (MIN_LENGTH <= len(password) <= MAX_LENGTH):
        errors.append(FieldError("password.length", {"min": MIN_LENGTH, "max": MAX_LENGTH}))
    if any(not (" " <= ch <= "~") for ch in password):
        errors.append(FieldError("password.ascii_only"))
    elif password != password.strip():
        # The login form strips what is typed; a leading/trailing space could never be matched.
        errors.append(FieldError("password.edge_space"))
    if login_id and login_id.lower() in password.lower():
        errors.append(FieldError("password.contains_login_id"))
    return errors


def generate_password(length: int = 14) -> str:
    while True:
        pw = "".join(secrets.choice(_GEN_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.isupper() for c in pw) and any(c.islower() for c in pw):
            return pw
