"""The nginx configuration in front of several app servers: one template, rendered here.

    python3 -m deploy.nginx --listen 80 --server 127.0.0.1:8501 --server 127.0.0.1:8502 \\
        --access-log /var/log/nginx/nss-portal.log > /etc/nginx/conf.d/nss-portal.conf

`standalone()` wraps the same server block in a whole nginx.conf for an unprivileged nginx run
from one folder (the two-server test and `bench_sessions --proxy`); production uses Debian's
/etc/nginx/nginx.conf, which includes conf.d/. See docs/deployment.md.
"""
from __future__ import annotations

import argparse
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "nss-portal.conf"


def render(*, listen: str, servers: list[str], access_log: str) -> str:
    """The template with its placeholders filled; `servers` are host:port of the app servers."""
    if not servers:
        raise ValueError("at least one app server")
    lines = "\n".join(f"    server {s} max_fails=1 fail_timeout=10s;" for s in servers)
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in (("listen", listen), ("app_servers", lines), ("access_log", access_log)):
        placeholder = "{{" + name + "}}"
        if placeholder not in text:
            raise ValueError(f"the template lost its {placeholder}")
        text = text.replace(placeholder, value)
    return text


def standalone(prefix: Path, *, listen: str, servers: list[str]) -> str:
    """A whole nginx.conf whose files (pid, logs, temporary bodies) all live under `prefix`, so
    nginx runs in the foreground from there without touching /etc/nginx or /var. Run as root, the
    workers are `nobody`: `prefix` must be traversable by others (not under a 0700 folder)."""
    temp = "\n".join(f"    {kind}_temp_path {prefix / (kind + '_temp')};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""daemon off;
worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
{temp}
{render(listen=listen, servers=servers, access_log=str(prefix / 'access.log'))}
}}
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="80", help="nginx's listen parameter (default 80)")
    parser.add_argument("--server", action="append", required=True, help="an app server, host:port (repeat)")
    parser.add_argument("--access-log", default="/var/log/nginx/nss-portal.log")
    args = parser.parse_args(argv)
    print(render(listen=args.listen, servers=args.server, access_log=args.access_log), end="")


if __name__ == "__main__":
    main()
