"""Encryption for the few secrets kept for a while: the 事業所パスワード of the ID notice (shown to
the applicant again later) and the password a queued mail carries (until it is sent).

Keys are derived from the cookie key, one per purpose, so one secret configures a deployment;
rotating it makes what was written unreadable (ID notices then say the password is no longer shown,
a queued mail with a password fails instead of going out without it).
"""
from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from config import cookie_key

_NOTICE, _MAIL = b"nss-notice-secret:", b"nss-mail-secret:"


def _fernet(purpose: bytes) -> Fernet:
    digest = hashlib.sha256(purpose + cookie_key().encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _decrypt(purpose: bytes, token: str) -> str | None:
    try:
        return _fernet(purpose).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def encrypt(plain: str) -> str:
    """The ID notice's 事業所パスワード (services.notices)."""
    return _fernet(_NOTICE).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str | None:
    return _decrypt(_NOTICE, token)


def encrypt_mail_secret(plain: str) -> str:
    """The passwords of one queued mail (services.mail), never readable with the notice key."""
    return _fernet(_MAIL).encrypt(plain.encode()).decode()


def decrypt_mail_secret(token: str) -> str | None:
    return _decrypt(_MAIL, token)
