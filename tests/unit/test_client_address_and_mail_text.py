"""The client address behind a trusted proxy (services.ratelimit.client_address) and typed text
made inert for a mail body (services.mail_text.neutral)."""
from __future__ import annotations

import pytest

import config
from services.mail_text import neutral
from services.ratelimit import client_address

PROXIES = config._networks("10.0.0.0/8, 127.0.0.1, ::1")
XFF = "X-Forwarded-For"


@pytest.mark.parametrize("peer, headers, header, expected", [
    ("203.0.113.9", {XFF: "1.2.3.4"}, None, "203.0.113.9"),              # no header configured: ignored
    ("203.0.113.9", {XFF: "1.2.3.4"}, XFF, "203.0.113.9"),               # not from a trusted proxy: ignored
    ("10.1.2.3", {XFF: "198.51.100.7"}, XFF, "198.51.100.7"),            # from the proxy: honoured
    ("10.1.2.3", {"x-forwarded-for": "198.51.100.7"}, XFF, "198.51.100.7"),  # header names ignore case
    ("10.1.2.3", {XFF: "6.6.6.6, 198.51.100.7, 10.0.0.5"}, XFF, "198.51.100.7"),  # right-most untrusted
    ("10.1.2.3", {XFF: "10.0.0.8, 10.0.0.5"}, XFF, "10.0.0.8"),           # only proxies: the furthest
    ("10.1.2.3", {}, XFF, "10.1.2.3"),                                    # header missing: the proxy itself
    ("10.1.2.3", {XFF: "junk"}, XFF, "junk"),                             # garbage is a key of its own
    (None, {XFF: "198.51.100.7"}, XFF, "198.51.100.7"),                   # loopback proxy (Streamlit says None)
    (None, {}, None, "127.0.0.1"),
    ("2001:DB8::0:1", {}, None, "2001:db8::1"),                          # one spelling per address
])
def test_client_address(peer, headers, header, expected):
    assert client_address(peer, headers, header=header, trusted=PROXIES) == expected


def test_without_trusted_proxies_the_header_is_never_read():
    assert client_address("10.1.2.3", {XFF: "1.2.3.4"}, header=XFF, trusted=()) == "10.1.2.3"


def test_config_reads_the_proxy_settings(monkeypatch):
    monkeypatch.setenv("NSS_TRUSTED_PROXY_HEADER", "X-Real-IP")
    monkeypatch.setenv("NSS_TRUSTED_PROXIES", "192.168.0.0/16")
    s = config.load_settings()
    assert s.trusted_proxy_header == "X-Real-IP" and [str(n) for n in s.trusted_proxies] == ["192.168.0.0/16"]
    monkeypatch.setenv("NSS_TRUSTED_PROXIES", "not-a-network")
    with pytest.raises(config.ConfigError):
        config.load_settings()
    monkeypatch.delenv("NSS_TRUSTED_PROXY_HEADER")
    monkeypatch.delenv("NSS_TRUSTED_PROXIES")
    assert config.load_settings().trusted_proxy_header is None


@pytest.mark.parametrize("typed, expected", [
    ("【重要】http://phish.example/login", "【重要】http[:]//phish[.]example/login"),
    ("ｈｔｔｐｓ：／／ｅｖｉｌ．ｃｏｍ", "https[:]//evil[.]com"),
    ("www.evil.example", "www[.]evil[.]example"),
    ("連絡は evil@phish.example まで", "連絡は evil[at]phish[.]example まで"),
    ("javascript:alert(1)", "javascript[:]alert(1)"),
    ("山田 太郎\n\n【重要】次の行", "山田 太郎 【重要】次の行"),
    ("report\u202egnp.pdf", "report gnp[.]pdf"),
    ("山田通関株式会社", "山田通関株式会社"),
    ("ABC Co.,Ltd.", "ABC Co.,Ltd."),
    ("第3.5営業所", "第3.5営業所"),
])
def test_neutral(typed, expected):
    assert neutral(typed) == expected
