"""Fixtures for every test: the app on a real database (SQLite by default, PostgreSQL when
YINGZHI_TEST_DATABASE_URL names one), a test client that carries a CSRF token like a browser does,
login_as, and a frozen clock.

The schema is built once per run by the migrations; every test starts from empty tables.
"""

import contextvars
import os
import uuid
from datetime import UTC, datetime

import flask_migrate
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app import create_app
from config import normalise_database_url
from core import clock
from core.db import sqlite_begin_outside_requests
from core.extensions import db, limiter
from tests import factories
from tests.support.tools import MISSING

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright (SQLite run only)")
    config.addinivalue_line("markers", "postgres_only: needs PostgreSQL (skipped on SQLite)")


def pytest_terminal_summary(terminalreporter):
    """Say at the end what this machine could not test for want of a tool (tests/support/tools.py)."""
    reasons = {
        str(report.longrepr[-1]).removeprefix("Skipped: ") for report in terminalreporter.stats.get("skipped", [])
    }
    missing = sorted(text for text in MISSING.values() if text in reasons)
    if missing:
        terminalreporter.section("not tested on this machine")
        for text in missing:
            terminalreporter.line(text)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _is_postgres(url):
    return url.startswith("postgresql")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh database for this run: a temp SQLite file, or a new PostgreSQL database that is
    dropped at the end (so parallel runs on one server never meet)."""
    configured = normalise_database_url(os.environ.get("YINGZHI_TEST_DATABASE_URL", "sqlite"))
    if not _is_postgres(configured):
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
        return
    name = f"yingzhi_test_{uuid.uuid4().hex[:10]}"
    server = sa.make_url(configured)
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def is_postgres(database_url):
    return _is_postgres(database_url)


def make_app(database_url, **overrides):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, **overrides})


@pytest.fixture(scope="session")
def _schema(database_url):
    app = make_app(database_url)
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


_in_request_context = contextvars.ContextVar("in_request_context", default=False)


class CsrfClient(FlaskClient):
    """A browser-like client.

    Each request runs in a fresh context, so it gets its own app context, `g` and database
    session, as in production (the test's own app context would otherwise be shared by every
    request). Writes carry the session's CSRF token in X-CSRFToken, as the site's pages do;
    set `client.csrf = False` to send them without it.
    """

    csrf = True

    def open(self, *args, **kwargs):
        if _in_request_context.get():  # a redirect being followed: already in the request's context
            return self._open(*args, **kwargs)
        response = contextvars.Context().run(self._run_isolated, *args, **kwargs)
        _end_test_snapshot()
        return response

    def _run_isolated(self, *args, **kwargs):
        _in_request_context.set(True)
        return self._open(*args, **kwargs)

    def _open(self, *args, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        if self.csrf and method in WRITE_METHODS:
            token = super().open("/api/v1/csrf").get_json()["csrf_token"]
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", token)
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, _schema, request):
    """The app with an app context pushed for the test's own use (factories, queries).

    The test's own session reads between requests; the client ends its snapshot after each
    request, so what a request committed is visible to the test's next read.
    """
    overrides = getattr(request, "param", None) or {}
    app = make_app(database_url, **overrides)
    app.test_client_class = CsrfClient
    begin_mode = sqlite_begin_outside_requests.set("BEGIN")
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables(database_url)
        db.engine.dispose()
    sqlite_begin_outside_requests.reset(begin_mode)
    limiter.reset()
    clock.freeze(None)


def _end_test_snapshot():
    """Let the test's own session see what the request just committed.

    On SQLite an open read transaction keeps its snapshot; ending it (when the test has nothing
    unsaved) makes the next read current, as on PostgreSQL. Loaded objects reload on next use.
    """
    session = db.session()
    if not (session.new or session.dirty or session.deleted):
        session.rollback()


def _empty_tables(database_url):
    """Delete every row, children first, and start the ids again at 1. On PostgreSQL a DELETE of
    the few rows a test made, and one statement resetting every sequence, take about 20 ms where
    a TRUNCATE of all the tables takes 0.8 s (it rewrites each table's files): that, on every
    test, was a third of the suite's run on PostgreSQL."""
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        if _is_postgres(database_url):
            conn.exec_driver_sql(
                "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )


def reload(obj):
    """`obj` as the database has it now (ends the test session's snapshot first)."""
    db.session.rollback()
    return db.session.get(type(obj), obj.id)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(app):
    """login_as(user) -> a new client signed in as `user` through the real sign-in form."""

    def login(user, password=factories.TEST_PASSWORD):
        client = app.test_client()
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return login


class FrozenClock:
    def __init__(self, at):
        self.set(at)

    def set(self, at):
        self.now = at
        clock.freeze(at)

    def advance(self, delta):
        self.set(self.now + delta)


@pytest.fixture
def frozen_clock():
    """Time stands still at Monday 2026-11-23 09:00 Asia/Shanghai until the test moves it."""
    frozen = FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    yield frozen
    clock.freeze(None)


@pytest.fixture
def world(app):
    """The tree() units plus an admin, a supervisor per district and officers in each district."""
    units = factories.tree()
    return {
        **units,
        "admin": factories.AdminFactory(username="admin1", unit=units["city"]),
        "east_supervisor": factories.SupervisorFactory(username="sup-east", unit=units["east"]),
        "west_supervisor": factories.SupervisorFactory(username="sup-west", unit=units["west"]),
        "east_officer": factories.UserFactory(username="off-east", unit=units["east_station"]),
        "east_officer2": factories.UserFactory(username="off-east2", unit=units["east_court"]),
        "west_officer": factories.UserFactory(username="off-west", unit=units["west_police"]),
    }
