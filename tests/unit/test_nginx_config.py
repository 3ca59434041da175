"""The nginx config of docs/deployment.md (deploy/nginx/nss-portal.conf through deploy.nginx) and
the access-log reading of tests/nginx_proxy.py. nginx itself runs in tests/e2e/test_two_servers_nginx.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from deploy.nginx import main, render, standalone
from tests.nginx_proxy import NginxProxy


def test_render_fills_every_placeholder_with_one_server_line_each():
    text = render(listen="127.0.0.1:8080", servers=["127.0.0.1:8501", "127.0.0.1:8502"], access_log="/tmp/a.log")
    assert "{{" not in text and "}}" not in text
    assert "    server 127.0.0.1:8501 max_fails=1 fail_timeout=10s;\n    server 127.0.0.1:8502 max_fails=1" in text
    assert "listen 127.0.0.1:8080;" in text and "access_log /tmp/a.log nss_upstream;" in text
    # the parts the deployment relies on (docs/deployment.md)
    assert "hash $nss_route consistent;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "add_header Set-Cookie $nss_route_cookie always;" in text


def test_render_refuses_no_servers():
    with pytest.raises(ValueError):
        render(listen="80", servers=[], access_log="/tmp/a.log")


def test_standalone_keeps_every_file_under_its_prefix(tmp_path):
    text = standalone(tmp_path, listen="127.0.0.1:1", servers=["127.0.0.1:2"])
    assert f"pid {tmp_path / 'nginx.pid'};" in text and f"access_log {tmp_path / 'access.log'}" in text
    assert f"proxy_temp_path {tmp_path / 'proxy_temp'};" in text and "daemon off;" in text


def test_the_command_prints_the_rendered_config(capsys):
    main(["--listen", "80", "--server", "127.0.0.1:8601", "--access-log", "/var/log/nginx/x.log"])
    assert "server 127.0.0.1:8601 max_fails=1" in capsys.readouterr().out


def test_access_log_lines_name_the_server_and_route():
    proxy = NginxProxy([8501, 8502])
    try:
        Path(proxy.access_log).write_text(
            '127.0.0.1 [01/Dec/2026:16:32:39 +0000] "GET /application HTTP/1.1" 200 '
            'upstream=127.0.0.1:8501, 127.0.0.1:8502 route=abc rt=0.002\n'
            '127.0.0.1 [01/Dec/2026:16:32:53 +0000] "GET /_stcore/stream HTTP/1.1" 101 '
            'upstream=127.0.0.1:8502 route=abc rt=13.415\n')
        assert [r["path"] for r in proxy.requests()] == ["/application", "/_stcore/stream"]
        assert proxy.served_by("abc") == ["127.0.0.1:8502", "127.0.0.1:8502"]
        assert proxy.served_by("other") == []
    finally:
        proxy.__exit__(None, None, None)
