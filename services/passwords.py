"""Password hashing, policy and generation (SPEC §6)."""
from __future__ import annotations

import os
import secrets
import string
from functools import lru_cache

import bcrypt
from zxcvbn import zxcvbn

from services.errors import FieldError, ValidationFailed

MIN_LENGTH, MAX_LENGTH = 10, 64
MAX_BYTES = 72          # bcrypt reads no further; anything longer is refused before any other work
# zxcvbn's score: 0-1 fall to an online attack within hours or days (top-100 lists, repeats,
# keyboard rows, sequences); 3 means about 10^8 guesses or more.
MIN_STRENGTH_SCORE = 3
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


def too_long(password: str) -> bool:
    """Over bcrypt's 72 bytes (UTF-8): refused before any lookup, so it answers the same for every ID."""
    return len(password.encode("utf-8", "surrogatepass")) > MAX_BYTES


def is_weak(password: str, user_inputs: tuple[str, ...] = ()) -> bool:
    """zxcvbn's estimate: common passwords, repeats, sequences, keyboard rows, dates, the user's own
    data (`user_inputs`: login ID, name, mail address) make a password easy to guess."""
    result = zxcvbn(password[:MAX_BYTES], user_inputs=[i for i in user_inputs if i])
    return int(result["score"]) < MIN_STRENGTH_SCORE


def policy_errors(password: str, login_id: str | None, user_inputs: tuple[str, ...] = ()) -> list[FieldError]:
    """Every rule a new password must meet (SPEC §6), the strength check last."""
    errors: list[FieldError] = []
    if too_long(password):
        return [FieldError("password.length", {"min": MIN_LENGTH, "max": MAX_LENGTH})]
    if not (MIN_LENGTH <= len(password) <= MAX_LENGTH):
        errors.append(FieldError("password.length", {"min": MIN_LENGTH, "max": MAX_LENGTH}))
    if any(not (" " <= ch <= "~") for ch in password):
        errors.append(FieldError("password.ascii_only"))
    elif password != password.strip():
        # The login form strips what is typed; a leading/trailing space could never be matched.
        errors.append(FieldError("password.edge_space"))
    if login_id and login_id.lower() in password.lower():
        errors.append(FieldError("password.contains_login_id"))
    if not errors and is_weak(password, (login_id or "", *user_inputs)):
        errors.append(FieldError("password.weak"))
    return errors


def require_acceptable(password: str, login_id: str | None, *, field: str = "new",
                       user_inputs: tuple[str, ...] = ()) -> None:
    """Raises ValidationFailed({field: the first broken rule}) unless `password` may be set."""
    errors = policy_errors(password, login_id, user_inputs)
    if errors:
        raise ValidationFailed({field: errors[0]})


def generate_password(length: int = 14, login_id: str | None = None) -> str:
    """A random password that meets policy_errors (for `login_id`, when given)."""
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError(f"length must be {MIN_LENGTH}..{MAX_LENGTH}")
    while True:
        pw = "".join(secrets.choice(_GEN_ALPHABET) for _ in range(length))
        if (any(c.isdigit() for c in pw) and any(c.isupper() for c in pw) and any(c.islower() for c in pw)
                and not policy_errors(pw, login_id)):
            return pw
