"""Password hashing, policy and generation (SPEC §6)."""
from __future__ import annotations

import os
import secrets
import string
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


# Passwords generated and hashed ahead (issued_ahead), for this thread only.
_ahead = threading.local()


@contextmanager
def issued_ahead(pairs: Iterator[tuple[str, str]]) -> Iterator[None]:
    """Inside, in this thread: generate_password hands out the passwords of `pairs` ((password, bcrypt
    hash) made ahead, e.g. on the other core while the migrations run) and hash_password returns their
    hash instead of hashing again (~0.25 s each at cost 12). The demo seeding's real approvals use it;
    when `pairs` runs out both work as always. Pairs not used are dropped."""
    _ahead.pairs, _ahead.hashes = pairs, {}
    try:
        yield
    finally:
        del _ahead.pairs, _ahead.hashes


def hash_password(password: str) -> str:
    made_ahead = getattr(_ahead, "hashes", {}).pop(password, None)
    if made_ahead is not None:
        return made_ahead
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
    ahead = next(getattr(_ahead, "pairs", iter(())), None)
    if ahead is not None and len(ahead[0]) == length and not policy_errors(ahead[0], login_id):
        _ahead.hashes[ahead[0]] = ahead[1]
        return ahead[0]
    while True:
        pw = "".join(secrets.choice(_GEN_ALPHABET) for _ in range(length))
        if (any(c.isdigit() for c in pw) and any(c.isupper() for c in pw) and any(c.islower() for c in pw)
                and not policy_errors(pw, login_id)):
            return pw
