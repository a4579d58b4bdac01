"""bin/serve (what bin/demo runs, by exec, so it has bin/demo's process id) stops its web server
and its scheduler together on SIGTERM and on SIGINT sent to the script alone, as `kill PID` and a
supervisor do; it used to leave both running."""

import os
import signal
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.scheduler.test_processes import env_for, free_port, start, stop, wait_for_runs
from tests.support.processes import session_members

ROOT = Path(__file__).resolve().parent.parent


def test_bin_demo_hands_its_process_to_bin_serve():
    lines = (ROOT / "bin" / "demo").read_text().strip().splitlines()
    assert lines[-1] == "exec bin/serve"


def _healthy(port) -> bool:
    try:
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200  # noqa: S310
    except OSError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_to_bin_serve_stops_the_web_server_and_the_scheduler(app, database_url, signum):
    port = free_port()
    flask = str(Path(sys.executable).with_name("flask"))
    script = start(["bin/serve"], env_for(database_url, FLASK=flask, PORT=str(port), FLASK_DEBUG="1"))
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and not _healthy(port):
            time.sleep(0.3)
        assert _healthy(port), "the web server did not come up"
        assert wait_for_runs(1), "the scheduler did not run"
        running = session_members(script.pid)
        assert len(running) >= 4  # the script, the scheduler, the reloader and its app process

        os.kill(script.pid, signum)  # the script only, as `kill PID` does
        script.wait(20)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and session_members(script.pid):
            time.sleep(0.2)
        assert session_members(script.pid) == [], "processes left running after the script stopped"
        assert not _healthy(port)
        assert script.returncode == {signal.SIGTERM: 143, signal.SIGINT: 130}[signum]
    finally:
        output = stop(script)
        for pid in session_members(script.pid):
            os.kill(pid, signal.SIGKILL)
    assert "Running on http://127.0.0.1" in output
