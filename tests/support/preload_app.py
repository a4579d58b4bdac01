"""A WSGI entry for the O3 test: the real app, plus a route that tells which process and which
database connection served it. The master opens a connection while preloading, as a real app
warming up would; post_fork must make every worker open its own."""

import os

import sqlalchemy as sa

from app import create_app
from core.extensions import db

app = create_app()
with app.app_context():
    MASTER_BACKEND = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    db.session.remove()


@app.get("/_o3")
def o3():
    backend = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    return {"worker": os.getpid(), "backend": backend, "master_backend": MASTER_BACKEND}


o3.allowed_roles = frozenset()  # a test-only route
