"""Declarative base, column types shared by all models, and SQLite connection tuning."""

import contextvars
import sqlite3
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, registry, scoped_session

# Constraint names are fixed from the first migration on, so SQLite batch migrations can alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator):
    """Timezone-aware datetime stored as naive UTC, read back as aware UTC on every database.

    SQLite has no time zones and PostgreSQL's timestamptz converts on the way out; storing naive
    UTC in both and attaching UTC on load gives the same values everywhere.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column; use core.clock")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_column(enum_class) -> sa.Enum:
    """A string enum stored as its values in a VARCHAR(20) (no native enum type), on every database."""
    return sa.Enum(enum_class, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Base(DeclarativeBase):
    # Every `Mapped[datetime]` is a UTCDateTime; dict and list columns are JSON.
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict: sa.JSON(), list: sa.JSON()},
    )


# How transactions outside a request begin: IMMEDIATE for CLI commands and jobs. The test suite
# sets plain BEGIN for the test's own session, which only reads between requests.
sqlite_begin_outside_requests = contextvars.ContextVar("sqlite_begin_outside_requests", default="BEGIN IMMEDIATE")


def _sqlite_on_connect(dbapi_connection, _record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" hook below issue BEGIN itself (pysqlite's own handling defers it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _sqlite_on_begin(connection):
    """Writers take SQLite's write lock at BEGIN; readers do not.

    A deferred transaction that reads and then writes fails at once (SQLITE_BUSY, not retried by
    busy_timeout) when another connection wrote in between. So every transaction that may write
    (any request but GET/HEAD, and every CLI command, job and test) begins IMMEDIATE and waits its
    turn, while GET requests read from their WAL snapshot without blocking anyone. Views marked
    `reads_before_writes` begin as readers too, until they call `take_write_lock`; so does a GET
    request that must write after all (a remembered device signing its holder in again).
    """
    if not has_request_context():
        connection.exec_driver_sql(sqlite_begin_outside_requests.get())
    elif g.pop("_sqlite_write_next", False):
        g._sqlite_reading = False
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif request.method in ("GET", "HEAD", "OPTIONS") or _view_reads_before_writes():
        g._sqlite_reading = True
        connection.exec_driver_sql("BEGIN")
    else:
        g._sqlite_reading = False
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def reads_before_writes(view):
    """Mark a write view whose checks only read and whose writes re-check, in the database, what
    they depend on (a conditional UPDATE, a unique constraint): on SQLite its transactions begin
    as readers, and the service takes the write lock (take_write_lock) just before its writes.
    The single writer then holds the lock for the writes alone, not for the sign-in lookup, the
    checks and the Python between them (issue 8: the autosave spent most of its time queued on
    that lock, not on the CPU)."""
    view.reads_before_writes = True
    return view


def _view_reads_before_writes() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "reads_before_writes", False))


def take_write_lock(session) -> None:
    """Before the first write of a `reads_before_writes` view (or of a GET request): on SQLite, end
    the read-only transaction (keeping what it loaded) so the next one begins IMMEDIATE. A no-op elsewhere:
    PostgreSQL's writes lock only the rows they touch, and every other SQLite transaction that
    may write already began IMMEDIATE."""
    if not has_request_context() or not g.get("_sqlite_reading"):
        return
    if isinstance(session, scoped_session):
        session = session()
    g._sqlite_reading = False
    g._sqlite_write_next = True
    if session.in_transaction():
        keep = session.expire_on_commit
        session.expire_on_commit = False  # nothing was written; what was read stays usable
        try:
            session.commit()
        finally:
            session.expire_on_commit = keep


def configure_engine(engine):
    """Install the SQLite hooks on an engine (no-op for other databases)."""
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
