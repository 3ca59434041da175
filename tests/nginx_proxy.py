"""Debian's nginx in front of app servers on loopback, with deploy/nginx/nss-portal.conf as the
deployment uses it (rendered by deploy.nginx): for the two-server test and `bench_sessions --proxy`."""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from deploy.nginx import standalone
from tests.smtp_server import free_port

NGINX_MISSING = "nginx is not installed: apt-get install nginx (Debian's package; .ci/run installs it)"
_LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) upstream=(?P<upstream>.+?) '
                       r'route=(?P<route>\S+)')


def nginx_binary() -> str | None:
    """Debian's nginx, also when /usr/sbin is not on PATH (a non-root shell)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


class NginxProxy:
    """`with NginxProxy([8501, 8502]) as proxy:` nginx on proxy.port, in the foreground, from a
    folder of its own (removed afterwards unless `keep_in` names a folder to copy its logs to)."""

    def __init__(self, upstream_ports: list[int], *, keep_in: Path | None = None) -> None:
        self.upstreams = [f"127.0.0.1:{p}" for p in upstream_ports]
        self.port = free_port()
        self.keep_in = keep_in
        # Not under pytest's 0700 folders: nginx's workers (nobody, when run as root) use it too.
        self.prefix = Path(tempfile.mkdtemp(prefix="nss-nginx-"))
        self.prefix.chmod(0o755)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    def __enter__(self) -> NginxProxy:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError(NGINX_MISSING)
        conf = self.prefix / "nginx.conf"
        conf.write_text(standalone(self.prefix, listen=f"127.0.0.1:{self.port}", servers=self.upstreams))
        self.process = subprocess.Popen([binary, "-p", str(self.prefix), "-c", str(conf)],
                                        stdout=subprocess.DEVNULL, stderr=(self.prefix / "stderr.log").open("w"))
        deadline = time.monotonic() + 20
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}: {self.errors()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"nginx did not listen on {self.port}: {self.errors()}") from None
                time.sleep(0.1)

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.keep_in is not None:
            self.keep_in.mkdir(parents=True, exist_ok=True)
            for name in ("access.log", "error.log", "nginx.conf"):
                if (self.prefix / name).exists():
                    shutil.copy(self.prefix / name, self.keep_in / f"nginx-{name}")
        shutil.rmtree(self.prefix, ignore_errors=True)

    def errors(self) -> str:
        return "".join((self.prefix / n).read_text(errors="replace")[-2000:]
                       for n in ("stderr.log", "error.log") if (self.prefix / n).exists())

    def requests(self) -> list[dict[str, str]]:
        """The access log so far: method, path, status, upstream (the app server's host:port, or
        several when nginx tried the next one: "a, b"), route (the browser's sticky cookie)."""
        if not self.access_log.exists():
            return []
        out = []
        for line in self.access_log.read_text(errors="replace").splitlines():
            m = _LOG_LINE.search(line)
            if m:
                out.append(m.groupdict())
        return out

    def served_by(self, route: str, path_prefix: str = "") -> list[str]:
        """The app server that answered each request of one route (last address tried), in order."""
        return [r["upstream"].split(",")[-1].strip() for r in self.requests()
                if r["route"] == route and r["path"].startswith(path_prefix)]
