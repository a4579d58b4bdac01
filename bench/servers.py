"""Servers for the load benchmark, as context managers: gunicorn with the repository's
gunicorn.conf.py (the production settings), and Debian's nginx in front of several of them with
deploy/nginx.conf.template (the production template). Everything binds to 127.0.0.1 and is
stopped (process group, by pid) when the block ends."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from deploy.nginx import REPORT_RATE
from deploy.nginx import render as render_nginx

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60, process=None, log_path=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own http URL)
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    log = Path(log_path).read_text(errors="replace")[-3000:] if log_path else ""
    raise RuntimeError(f"{url} did not come up\n{log}")


def app_environment(database_url: str, extra: dict | None = None) -> dict:
    """What an app server of the benchmark runs with: the production-like development config (the
    production config would demand Redis and HTTPS cookies on loopback), a fixed secret key shared
    by all servers (signed sessions work on any of them) and the given database."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="bench-secret-key-shared-by-every-app-server",  # noqa: S106
        YINGZHI_CONFIG="development",
        YINGZHI_LOG_LEVEL="warning",
    )
    env.update(extra or {})
    return env


@contextlib.contextmanager
def gunicorn(
    app_spec: str,
    database_url: str,
    *,
    workers: int = 2,
    port: int | None = None,
    env=None,
    logdir=None,
    args=(),
    nice: int = 0,
):
    """Run `gunicorn -c gunicorn.conf.py [args] app_spec` on 127.0.0.1; yields the base URL.
    `args` override the configuration file (e.g. ["-k", "gthread", "--threads", "4"]); `nice`
    lowers its CPU priority (the report servers)."""
    port = port or free_port()
    own_logdir = logdir is None
    logdir = Path(logdir or tempfile.mkdtemp(prefix="yingzhi-bench-"))
    log_path = logdir / f"gunicorn-{port}.log"
    environment = app_environment(database_url, env)
    environment.update(YINGZHI_BIND=f"127.0.0.1:{port}", YINGZHI_WORKERS=str(workers), YINGZHI_NICE=str(nice))
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", *args, app_spec],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", process=process, log_path=log_path)
        yield base
    finally:
        _stop(process)
        if own_logdir:
            shutil.rmtree(logdir, ignore_errors=True)


@contextlib.contextmanager
def nginx(
    upstreams: list[str],
    *,
    port: int | None = None,
    report_upstreams: list[str] | None = None,
    report_rate: str | None = REPORT_RATE,
):
    """Debian's nginx, in the foreground, proxying to `upstreams` ("127.0.0.1:8001", ...) and
    /reports/ to `report_upstreams` (default: the same), each session's report requests paced at
    `report_rate` (None: unpaced) as in production."""
    port = port or free_port()
    prefix = Path(tempfile.mkdtemp(prefix="yingzhi-nginx-"))
    prefix.chmod(0o755)  # nginx's workers (nobody, when started as root) write their temp files here
    (prefix / "logs").mkdir()
    config = render_nginx(
        listen=f"127.0.0.1:{port}",
        upstreams=upstreams,
        prefix=str(prefix),
        report_upstreams=report_upstreams,
        report_rate=report_rate,
    )
    config_path = prefix / "nginx.conf"
    config_path.write_text(config)
    log_path = prefix / "logs" / "stderr.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(config_path), "-g", "daemon off;"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", process=process, log_path=log_path)
        yield base
    finally:
        _stop(process)
        shutil.rmtree(prefix, ignore_errors=True)


def _stop(process) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


class BaseURL(str):
    """The URL clients use, carrying the report server's own URL as `reports`."""

    def __new__(cls, url: str, reports: str):
        made = super().__new__(cls, url)
        made.reports = reports
        return made


REPORT_SERVER_NICE = 10  # as bin/prod-up runs them


@contextlib.contextmanager
def layout(
    app_spec: str,
    database_url: str,
    *,
    servers: int = 1,
    use_nginx: bool = False,
    workers: int = 2,
    report_servers: int = 0,
    report_rate: str | None = REPORT_RATE,
):
    """`servers` gunicorn app servers, behind nginx when `use_nginx` (or when there are several,
    or report servers); `report_servers` more, at a lower CPU priority, serving /reports/ (nginx
    routes it). Yields the URL the load generator should use; its `reports` is the first report
    server's own URL (past nginx and its pacing), or the same URL when there is none."""
    use_nginx = use_nginx or servers > 1 or report_servers > 0
    env = {"YINGZHI_PROXY_COUNT": "1"} if use_nginx else {}
    with contextlib.ExitStack() as stack:
        bases = [
            stack.enter_context(gunicorn(app_spec, database_url, workers=workers, env=env)) for _ in range(servers)
        ]
        reports = [
            stack.enter_context(gunicorn(app_spec, database_url, workers=workers, env=env, nice=REPORT_SERVER_NICE))
            for _ in range(report_servers)
        ]
        if not use_nginx:
            yield BaseURL(bases[0], bases[0])
            return
        addresses = [base.removeprefix("http://") for base in bases]
        report_addresses = [base.removeprefix("http://") for base in reports] or None
        front = stack.enter_context(nginx(addresses, report_upstreams=report_addresses, report_rate=report_rate))
        yield BaseURL(front, reports[0] if reports else front)
