"""O3: the gunicorn configuration loads, and with preload_app each worker uses database
connections of its own, never one inherited from the master."""

import contextlib
import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.processes import children_of, nice_of

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorn_config_loads_with_sync_workers_and_preload():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["worker_class"] == "sync"
    assert settings["preload_app"] is True
    assert callable(settings["post_fork"])
    assert settings["workers"] >= 1


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _gunicorn(app_spec, database_url, **env):
    """gunicorn with the repository's configuration on a free port; yields (process, port) and
    stops its whole session afterwards."""
    port = _free_port()
    environment = dict(os.environ, DATABASE_URL=database_url, YINGZHI_BIND=f"127.0.0.1:{port}", **env)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app_spec],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield server, port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(15)


def _poll(url, until, seconds=30):
    """GET `url` until `until(response)` is true or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own http URL)
                if until(response):
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def test_each_worker_gets_fresh_database_connections_after_fork(app, database_url, is_postgres):
    if not is_postgres:
        pytest.skip("backend process ids are a PostgreSQL notion")
    seen = {}

    def record(response):
        body = json.load(response)
        seen[body["worker"]] = body
        return len(seen) == 2

    with _gunicorn("tests.support.preload_app:app", database_url, SECRET_KEY="o3", YINGZHI_WORKERS="2") as (
        server,
        port,
    ):
        _poll(f"http://127.0.0.1:{port}/_o3", record)
    assert len(seen) == 2, server.stdout.read().decode()[-2000:]
    backends = {body["backend"] for body in seen.values()}
    master = next(iter(seen.values()))["master_backend"]
    assert len(backends) == 2 and master not in backends


def test_a_report_server_runs_at_the_lower_cpu_priority_it_is_given(database_url):
    """YINGZHI_NICE (bin/prod-up's report servers): the master and its workers run at that nice,
    and so does the session's autogroup, which Linux weighs before any nice inside it."""
    with _gunicorn("app:create_app()", database_url, SECRET_KEY="nice", YINGZHI_WORKERS="1", YINGZHI_NICE="7") as (
        server,
        port,
    ):
        assert _poll(f"http://127.0.0.1:{port}/healthz", lambda response: response.status == 200)
        workers = children_of(server.pid)
        assert workers and {nice_of(pid) for pid in [server.pid, *workers]} == {7}
        autogroup = Path(f"/proc/{server.pid}/autogroup")
        if autogroup.exists():
            assert autogroup.read_text().split()[-1] == "7"


def test_a_report_server_keeps_postgresql_from_parallel_workers(monkeypatch, database_url, is_postgres):
    """S9: a server at a lower CPU priority asks PostgreSQL for no parallel workers, so a board's
    query runs in one database process, not three at normal priority beside the saves."""
    import sqlalchemy as sa

    from config import Config, normalise_database_url

    monkeypatch.delenv("YINGZHI_NICE", raising=False)
    assert "connect_args" not in Config().SQLALCHEMY_ENGINE_OPTIONS
    monkeypatch.setenv("YINGZHI_NICE", "10")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/none.db")
    assert "connect_args" not in Config().SQLALCHEMY_ENGINE_OPTIONS  # SQLite has no such thing
    if not is_postgres:
        return
    monkeypatch.setenv("DATABASE_URL", database_url)
    options = Config().SQLALCHEMY_ENGINE_OPTIONS
    engine = sa.create_engine(normalise_database_url(database_url), connect_args=options["connect_args"])
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar() == "0"
    finally:
        engine.dispose()
