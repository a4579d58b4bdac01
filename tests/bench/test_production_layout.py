"""The production layout: the nginx template renders to a configuration nginx accepts, bin/prod-up
refuses to start without its database and key, and on PostgreSQL it serves through nginx from two
app servers with the scheduler beside them."""

import contextlib
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.servers import free_port
from bench.servers import nginx as nginx_server
from deploy import nginx as nginx_config
from tests.support.processes import nice_of
from tests.support.tools import MISSING

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def test_template_renders_every_upstream_and_long_lived_static_files(tmp_path):
    text = nginx_config.render(listen="127.0.0.1:8080", upstreams=["127.0.0.1:8001", "10.0.0.2:8000"], prefix="/x")
    assert "{{" not in text
    assert "server 127.0.0.1:8001 max_fails=0;" in text and "server 10.0.0.2:8000 max_fails=0;" in text
    assert "max-age=31536000, immutable" in text
    assert "X-Forwarded-For" in text
    with pytest.raises(ValueError):
        nginx_config.render(listen="127.0.0.1:8080", upstreams=[], prefix="/x")


def _upstream(text, name):
    block = text[text.index(f"upstream {name} {{") :]
    return block[: block.index("}")]


def test_reports_go_to_report_servers_when_there_are_some(tmp_path):
    text = nginx_config.render(
        listen="127.0.0.1:8080", upstreams=["127.0.0.1:8001"], prefix="/x", report_upstreams=["127.0.0.1:8101"]
    )
    assert "127.0.0.1:8101" in _upstream(text, "yingzhi_reports") and "8001" not in _upstream(text, "yingzhi_reports")
    assert "8101" not in _upstream(text, "yingzhi")
    for path in ("/reports/", "/api/v1/reports/"):
        location = text[text.index(f"location {path} {{") :]
        assert location[: location.index("}")].split()[-1] == "http://yingzhi_reports;"
    alone = nginx_config.render(listen="127.0.0.1:8080", upstreams=["127.0.0.1:8001"], prefix="/x")
    assert "127.0.0.1:8001" in _upstream(alone, "yingzhi_reports")


@pytest.mark.skipif(not os.path.exists(NGINX), reason=MISSING["nginx"])
def test_nginx_accepts_the_rendered_configuration(tmp_path):
    (tmp_path / "logs").mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_config.render(listen="127.0.0.1:18999", upstreams=["127.0.0.1:8001"], prefix=str(tmp_path)))
    checked = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_pacing_is_keyed_on_the_apps_session_cookie(app):
    text = nginx_config.render(listen="127.0.0.1:8080", upstreams=["127.0.0.1:8001"], prefix="/x")
    assert f"$cookie_{app.config['SESSION_COOKIE_NAME']} zone=reports_per_session" in text
    for path in ("/reports/", "/api/v1/reports/"):
        location = text[text.index(f"location {path} {{") :]
        assert "limit_req zone=reports_per_session" in location[: location.index("}")]
    location = text[text.index("location / {") :]
    assert "limit_req" not in location[: location.index("}")]
    assert "limit_req" not in nginx_config.render(
        listen="127.0.0.1:8080", upstreams=["127.0.0.1:8001"], prefix="/x", report_rate=None
    )


@contextlib.contextmanager
def _answering_ok():
    """An upstream that answers 200 to anything, standing in for the app servers."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _timed_gets(base, path, session, count):
    began = time.perf_counter()
    for _ in range(count):
        request = urllib.request.Request(base + path, headers={"Cookie": f"yingzhi_session={session}"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (http://127.0.0.1 only)
            assert response.status == 200
    return time.perf_counter() - began


@pytest.mark.skipif(not os.path.exists(NGINX), reason=MISSING["nginx"])
def test_nginx_paces_one_sessions_looped_reports_and_no_one_elses():
    """The production file, run: a session's first reports go at once; looped, they come one a
    second (queued, not refused), while another session's report and the same session's other
    requests do not wait. Unpaced (report_rate=None), the loop is not slowed."""
    undelayed = nginx_config.REPORT_UNDELAYED + 1
    with _answering_ok() as upstream, nginx_server([upstream]) as base:
        assert _timed_gets(base, "/reports/board", "looping", undelayed) < 0.8
        assert _timed_gets(base, "/reports/board", "looping", 3) > 2.0  # about 1 s each
        assert _timed_gets(base, "/reports/board", "another", 1) < 0.3
        assert _timed_gets(base, "/api/v1/attempts", "looping", 5) < 0.5
    with _answering_ok() as upstream, nginx_server([upstream], report_rate=None) as base:
        assert _timed_gets(base, "/reports/board", "looping", undelayed + 3) < 0.8


def _refused_among_many(base, path, session, count):
    """`count` report requests of one session at once: the (status, content type, body) of those
    answered within 3 s (the rest are still queued by the pace)."""
    answers = []

    def one():
        request = urllib.request.Request(base + path, headers={"Cookie": f"yingzhi_session={session}"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310 (http://127.0.0.1 only)
                answers.append((response.status, response.headers["Content-Type"], response.read()))
        except urllib.error.HTTPError as refused:
            answers.append((refused.code, refused.headers["Content-Type"], refused.read()))
        except OSError:
            pass  # still waiting its turn

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [answer for answer in answers if answer[0] == 429]


@pytest.mark.skipif(not os.path.exists(NGINX), reason=MISSING["nginx"])
def test_a_session_paced_past_its_burst_is_told_so_in_chinese_as_a_page_or_as_json():
    beyond = nginx_config.REPORT_UNDELAYED + nginx_config.REPORT_BURST + 6
    with _answering_ok() as upstream, nginx_server([upstream]) as base:
        pages = _refused_among_many(base, "/reports/board", "page", beyond)
        answers = _refused_among_many(base, "/api/v1/reports/board", "api", beyond)
    assert pages and answers
    for _status, content_type, body in pages:
        assert content_type == "text/html; charset=utf-8"
        assert "请稍候" in body.decode("utf-8") and 'lang="zh-CN"' in body.decode("utf-8")
    for _status, content_type, body in answers:
        assert content_type == "application/json; charset=utf-8"
        assert json.loads(body) == {"error": "too_many_requests", "message": "报表请求过于频繁，请等几秒钟再试。"}


def test_prod_up_needs_a_database_and_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    done = subprocess.run([str(ROOT / "bin" / "prod-up")], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode != 0
    assert "DATABASE_URL" in done.stderr


def _two_consecutive_free_ports():
    for base in range(21000, 29000, 7):
        try:
            with socket.socket() as one, socket.socket() as two:
                one.bind(("127.0.0.1", base))
                two.bind(("127.0.0.1", base + 1))
            return base
        except OSError:
            continue
    pytest.skip("no two consecutive free ports")


def _get(url):
    with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 (our own http URL)
        return response.status, dict(response.headers), response.read()


def test_prod_up_serves_through_nginx_with_two_app_servers(database_url, is_postgres, _schema, tmp_path):
    if not is_postgres:
        pytest.skip("the production layout runs on PostgreSQL")
    if not os.path.exists(NGINX):
        pytest.skip(MISSING["nginx"])
    first, listen, reports = _two_consecutive_free_ports(), free_port(), free_port()
    second = first + 1  # prod-up numbers app servers from the first port
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="prod-up-test",
        YINGZHI_CONFIG="development",  # production would want Redis for the sign-in limits
        YINGZHI_RUN_DIR=str(tmp_path),
    )
    log = open(tmp_path / "prod-up.log", "wb")  # noqa: SIM115 (closed below)
    layout = subprocess.Popen(
        [
            str(ROOT / "bin" / "prod-up"),
            "--servers",
            "2",
            "--nginx",
            "--first-port",
            str(first),
            "--no-migrate",
            "--listen",
            f"127.0.0.1:{listen}",
            "--reports-first-port",
            str(reports),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # nginx answers as soon as one app server is up; wait for every part of the layout.
        waiting = {f"http://127.0.0.1:{port}/healthz" for port in (listen, first, second, reports)}
        deadline = time.monotonic() + 90
        while waiting and time.monotonic() < deadline:
            for url in sorted(waiting):
                try:
                    if _get(url)[0] == 200:
                        waiting.discard(url)
                except OSError:
                    time.sleep(0.3)
        assert not waiting
        _, headers, _ = _get(f"http://127.0.0.1:{listen}/static/css/app.css?v=1")
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        _, headers, _ = _get(f"http://127.0.0.1:{listen}/login")
        assert headers["Cache-Control"] == "no-store"
        # The report server (the default one, with nginx) runs at a lower CPU priority.
        started = (tmp_path / "prod-up.log").read_text()
        pid = int(re.search(r"report server 1: .*nice 10 \(pid (\d+)\)", started).group(1))
        assert nice_of(pid) == 10
    finally:
        os.killpg(layout.pid, signal.SIGINT)
        layout.wait(timeout=30)
        log.close()
    output = (tmp_path / "prod-up.log").read_text(errors="replace")
    assert "scheduler: pid" in output and output.count("app server") == 2, output[-2000:]
