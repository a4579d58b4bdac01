"""The app factory and configuration (flaskr's test_factory, plus the production settings)."""

import pytest

from app import create_app
from config import ProductionConfig, normalise_database_url


def test_testing_config_is_used_when_asked(app):
    assert app.testing
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None  # a long exam page must still submit


def test_production_config_refuses_to_start_without_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://x@127.0.0.1/db")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig()


def test_production_cookies_are_secure_httponly_lax_and_debug_is_off(monkeypatch):
    """X5, X10: production cookies and no debug."""
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.delenv("YINGZHI_SECURE_COOKIES", raising=False)
    config = ProductionConfig()
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_HTTPONLY is True
    assert config.SESSION_COOKIE_SAMESITE == "Lax"
    assert config.DEBUG is False
    assert not config.RATELIMIT_STORAGE_URI.startswith("memory")  # X7: shared between app servers


def test_production_session_cookie_flags_on_the_wire(monkeypatch, database_url, _schema):
    """X5: the Set-Cookie header itself carries Secure, HttpOnly and SameSite=Lax."""
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    app = create_app(ProductionConfig())
    client = app.test_client()
    response = client.get("/login", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_forced_500_shows_a_generic_chinese_page_without_traceback(database_url, _schema):
    """X10: an unexpected error gives the Chinese error page, never a traceback."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "服务器出现问题" in body
    assert "Traceback" not in body and "secret internal detail" not in body


def test_creating_the_app_starts_no_background_threads(database_url, _schema):
    """S4 (part): building the app, as every gunicorn worker does, starts nothing in the background."""
    import threading

    before = {t.ident for t in threading.enumerate()}
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    # The rate limiter's in-memory storage (tests and development only) keeps an expiry Timer.
    started = [t for t in threading.enumerate() if t.ident not in before and not isinstance(t, threading.Timer)]
    assert started == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_busy_timeout(app, is_postgres):
    if is_postgres:
        pytest.skip("SQLite pragmas")
    from core.extensions import db

    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
