"""bench/rotate.lua driven by the real wrk against a tiny HTTP server that records what it got:
each pre-made request carries its own cookie and CSRF header, "once" lists send each line once,
and responses that are not 2xx (redirects included) count as errors."""

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import wrk
from tests.support.tools import MISSING

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason=MISSING["wrk"])


@pytest.fixture
def recorder():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            seen.append((self.command, self.path, self.headers.get("Cookie"), self.headers.get("X-CSRFToken"), body))
            status = 302 if self.path.startswith("/redirect") else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_GET = do_PUT = do_POST = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_once_sends_each_line_once_with_its_own_session(recorder):
    base, seen = recorder
    requests = [wrk.Request("PUT", f"/answers/{n}", f"s=cookie{n}", f"token{n}", f'{{"n":{n}}}') for n in range(40)]
    result = wrk.run(base, requests, connections=2, seconds=2, once=True)
    assert result.errors == 0
    answered = [entry for entry in seen if entry[0] == "PUT"]
    paths = [entry[1] for entry in answered]
    assert len(set(paths)) == len(paths)  # never twice
    assert len(paths) >= 38  # the last request of each connection may be cut off by the stop
    assert {entry[1] for entry in seen if entry[0] != "PUT"} <= {"/healthz"}  # the stop's padding
    for _method, path, cookie, token, body in answered:
        n = path.rsplit("/", 1)[1]
        assert (cookie, token, body) == (f"s=cookie{n}", f"token{n}", f'{{"n":{n}}}')
    assert result.requests >= 38 and result.seconds < 2


def test_loop_counts_redirects_as_errors(recorder):
    base, seen = recorder
    result = wrk.run(base, [wrk.Request("GET", "/ok"), wrk.Request("GET", "/redirect")], connections=2, seconds=1)
    assert result.requests > 10
    assert result.errors >= result.requests // 2 - 2
    assert "302" in result.sample
    assert {entry[2] for entry in seen} == {None}  # "-" means no cookie header at all


def test_fields_with_tabs_are_refused():
    with pytest.raises(ValueError):
        wrk.Request("GET", "/a\tb").line()
