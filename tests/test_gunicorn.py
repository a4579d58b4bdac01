"""O3: the gunicorn configuration loads, and with preload_app each worker uses database
connections of its own, never one inherited from the master."""

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


def test_each_worker_gets_fresh_database_connections_after_fork(app, database_url, is_postgres):
    if not is_postgres:
        pytest.skip("backend process ids are a PostgreSQL notion")
    port = _free_port()
    env = dict(
        os.environ, DATABASE_URL=database_url, SECRET_KEY="o3", YINGZHI_BIND=f"127.0.0.1:{port}", YINGZHI_WORKERS="2"
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "tests.support.preload_app:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    seen = {}
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(seen) < 2:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_o3", timeout=2) as response:
                    body = json.load(response)
                    seen[body["worker"]] = body
            except OSError:
                time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(15)
    assert len(seen) == 2, server.stdout.read().decode()[-2000:]
    backends = {body["backend"] for body in seen.values()}
    master = next(iter(seen.values()))["master_backend"]
    assert len(backends) == 2 and master not in backends


def _nice(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[16])  # field 19, counted after "(comm)"


def test_a_report_server_runs_at_the_lower_cpu_priority_it_is_given(database_url, tmp_path):
    """YINGZHI_NICE (bin/prod-up's report servers): the master and its workers run at that nice,
    and so does the session's autogroup, which Linux weighs before any nice inside it."""
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="nice",
        YINGZHI_BIND=f"127.0.0.1:{port}",
        YINGZHI_WORKERS="1",
        YINGZHI_NICE="7",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline, up = time.monotonic() + 30, False
        while time.monotonic() < deadline and not up:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    up = response.status == 200
            except OSError:
                time.sleep(0.2)
        assert up
        workers = [int(pid) for pid in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()]
        assert workers and {_nice(pid) for pid in [server.pid, *workers]} == {7}
        autogroup = Path(f"/proc/{server.pid}/autogroup")
        if autogroup.exists():
            assert autogroup.read_text().split()[-1] == "7"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(15)
