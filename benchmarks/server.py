"""The production server on a benchmark's database, and plain HTTP requests to it: shared by
`make probe` (benchmarks.probe) and the load step of `make bench` (benchmarks.load)."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# High enough never to answer 429 to a benchmark, which sends everything from one address.
RATE_LIMIT = "1000000/m"
# The worker count the Dockerfile (WEB_CONCURRENCY) and docker-compose.yml serve with.
PRODUCTION_WORKERS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Site:
    """The site on `database_url` with the production settings; `extra_env` adds to them."""

    database_url: str
    workdir: Path
    extra_env: dict = field(default_factory=dict)
    base_env: dict = field(default_factory=dict)
    server: subprocess.Popen | None = None

    def __post_init__(self):
        environment = dict(os.environ)
        for name in ("ELASTICSEARCH_URL", "REDIS_URL"):
            environment.pop(name, None)
        environment.update(
            DJANGO_SETTINGS_MODULE="kb.settings.production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            DATABASE_URL=self.database_url,
            SEARCH_RATE_LIMIT=RATE_LIMIT,
            SEARCH_SUGGEST_RATE_LIMIT=RATE_LIMIT,
            MEDIA_ROOT=str(self.workdir / "media"),
            LOG_LEVEL="ERROR",
            **self.extra_env,
        )
        self.base_env = environment

    def manage(self, *args, env=None, timeout=1800) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env={**self.base_env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def collect_static(self) -> None:
        """The production settings serve hashed static files from a manifest: a page whose
        stylesheet is missing from it is a 500."""
        done = self.manage("collectstatic", "--noinput")
        if done.returncode != 0:
            raise SystemExit(f"collectstatic failed:\n{done.stderr[-3000:]}")

    @contextmanager
    def serving(self, workers: int = 2, **env):
        """The web server and, as in docker-compose.yml, the task worker."""
        port = free_port()
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "1", "--queue-name", "*"],
            cwd=BASE_DIR,
            env={**self.base_env, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "kb.wsgi", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--timeout", "60"],
            cwd=BASE_DIR,
            env={**self.base_env, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while request(base, "GET", "/robots.txt", timeout=5)[0] != 200:
                if time.monotonic() > deadline or self.server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.3)
            yield base
        finally:
            for process in (self.server, worker):
                _stop(process)
            self.server = None

    def worker_peak_rss_megabytes(self) -> list[float]:
        """The peak resident memory (VmHWM) of each of the web server's worker processes now
        running, in MB; empty when not serving or not on Linux."""
        if self.server is None:
            return []
        return [_peak_rss(pid) for pid in _children(self.server.pid)]


def _stop(process: subprocess.Popen, grace_seconds: float = 30) -> None:
    """Asks a process to stop, and kills it if it is still busy after the grace period: at
    100 000 practices the task worker may be in the middle of a task (the load step's import
    leaves it many), and the figures are taken by then."""
    process.terminate()
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _children(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name (in parentheses) may hold spaces; the parent follows the state.
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def _peak_rss(pid: int) -> float:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:  # the worker has just been replaced
        return 0.0
    for line in lines:
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def request(base, method, path, headers=None, body=None, timeout=30):
    """(status, body) of one request; status is the exception's name when there is none."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__, b""
    finally:
        connection.close()


def is_server_error(status) -> bool:
    return not isinstance(status, int) or status >= 500
