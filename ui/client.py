"""Where the browser's request comes from, for the abuse limits (services/ratelimit.py).

`st.context.ip_address` is the connection's address (None on loopback); behind a reverse proxy,
the configured header (NSS_TRUSTED_PROXY_HEADER) is honoured only on connections from the
trusted proxies (NSS_TRUSTED_PROXIES). Services take the result as a plain argument.
"""
from __future__ import annotations

import streamlit as st

from config import settings
from services import ratelimit


def client_address() -> str:
    cfg = settings()
    peer = st.context.ip_address
    headers = st.context.headers
    return ratelimit.client_address(peer if isinstance(peer, str) else None,  # no connection: loopback
                                    {str(k): str(v) for k, v in headers.items()} if headers else {},
                                    header=cfg.trusted_proxy_header, trusted=cfg.trusted_proxies)
