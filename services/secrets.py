"""Encryption for the few secrets we must show again later (the 事業所パスワード in the ID notice).

The key is derived from the cookie key, so one secret configures a deployment; rotating it makes
ID notices already written unreadable (they then say the password is no longer shown).
"""
from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from config import cookie_key


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"nss-notice-secret:" + cookie_key().encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None
