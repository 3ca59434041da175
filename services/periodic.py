"""Work that repeats on its own in every app server: a daemon thread per kind of work (the mail
sender, the background jobs), started once per process by the server's start-up.

Both kinds share this one runner so that the loop, the wake-up, stopping and "once per process"
are written once; the work itself (and its lease across servers) stays in its own module.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, Self, TypeVar

log = logging.getLogger(__name__)


class Periodic:
    """A daemon thread that calls `work` every `interval` seconds, the first round at once, and
    early when woken. A round that raises is logged and the next round tries again (the database or
    the network is down for a moment)."""

    def __init__(self, interval: float, work: Callable[[], object], name: str) -> None:
        self.interval = interval
        self.rounds = 0  # finished rounds (tests wait for a few to pass)
        self._work = work
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Self:
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive() and not self._stop.is_set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._work()
            except Exception:
                log.exception("%s: a periodic round failed", self._thread.name)
            self.rounds += 1
            self._wake.wait(self.interval)
            self._wake.clear()


R = TypeVar("R", bound=Periodic)


class OnePerProcess(Generic[R]):
    """This process's one runner of a kind: `start()` is called on every Streamlit rerun and every
    session, so it starts the runner the first time (or again when it died) and otherwise returns the
    running one. `enabled` is asked at each start (no SMTP host: no mail sender)."""

    def __init__(self, make: Callable[[], R], enabled: Callable[[], bool]) -> None:
        self._make = make
        self._enabled = enabled
        self._lock = threading.Lock()
        self.running: R | None = None

    def start(self) -> R | None:
        with self._lock:
            if self.running is None or not self.running.is_alive():
                self.running = self._make().start() if self._enabled() else None
            return self.running

    def stop(self) -> None:
        with self._lock:
            if self.running is not None:
                self.running.stop()
            self.running = None
