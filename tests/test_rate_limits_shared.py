"""X7 in the production layout: the sign-in limits are counted in Redis, shared by every app
server and worker, so failures spread over two servers add up to one lock-out (issue 15).

Two gunicorn servers run the production config against the test database and the Redis at
RATELIMIT_STORAGE_URI (default redis://127.0.0.1:6379/0), under a key prefix of this run alone;
the same sequence against memory:// storage, where each server counts alone, is the control.
"""

import contextlib
import os
import re
import uuid

import httpx
import pytest
import redis

from tests.factories import TEST_PASSWORD
from tests.test_gunicorn import _gunicorn, _poll

REDIS_URL = os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_store():
    store = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        store.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (.ci/run starts it)")
    prefix = f"yingzhi-test-{uuid.uuid4().hex[:8]}"
    yield store, prefix
    for key in store.scan_iter(f"*{prefix}*"):
        store.delete(key)


@contextlib.contextmanager
def _servers(database_url, storage, prefix, count=2):
    """`count` production app servers of one worker each, sharing a secret key and a limiter store."""
    env = {
        "YINGZHI_CONFIG": "production",
        "SECRET_KEY": "shared-limits",
        "YINGZHI_SECURE_COOKIES": "0",
        "YINGZHI_WORKERS": "1",
        "RATELIMIT_STORAGE_URI": storage,
        "YINGZHI_RATELIMIT_KEY_PREFIX": prefix,
    }
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            _server, port = stack.enter_context(_gunicorn("app:create_app()", database_url, **env))
            assert _poll(f"http://127.0.0.1:{port}/healthz", lambda response: response.status == 200)
            ports.append(port)
        yield ports


def _fail_sign_in(port, password="wrong"):  # noqa: S107 (a wrong password, on purpose)
    """One sign-in through the real form (CSRF token and cookie from the page), as a browser does."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as browser:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', browser.get("/login").text).group(1)
        return browser.post("/login", data={"csrf_token": token, "username": "off-east", "password": password})


def test_failed_sign_ins_on_two_servers_add_up_in_redis(world, database_url, redis_store):
    store, prefix = redis_store
    with _servers(database_url, REDIS_URL, prefix) as (first, second):
        statuses = [_fail_sign_in(first if n % 2 == 0 else second).status_code for n in range(5)]
        assert statuses == [200] * 5  # 3 on one server, 2 on the other: 5 failures in all
        assert _fail_sign_in(second).status_code == 429  # "5 per minute" counted across both
        assert _fail_sign_in(first, password=TEST_PASSWORD).status_code == 429  # locked on both
        assert any(b"login-account" in key for key in store.scan_iter(f"*{prefix}*"))


def test_without_the_shared_store_each_server_counts_alone(world, database_url):
    """The control: with memory:// the same 6 failures, 3 per server, lock nobody out."""
    with _servers(database_url, "memory://", "unused") as (first, second):
        statuses = [_fail_sign_in(first if n % 2 == 0 else second).status_code for n in range(6)]
    assert statuses == [200] * 6
