"""The two ceilings of BENCHMARKS.md, built by the application factory itself.

`create_app()` is Yingzhi's own app (same extensions, before/after-request hooks, session
handling, security headers and database engine) plus two routes registered here only:

- `GET /bench/bare` returns a short string: what any request costs before our views do anything;
- `POST /bench/insert` inserts one row and commits: the same plus the cheapest possible write
  (on SQLite through the same BEGIN IMMEDIATE as every write request, core/db.py).

Serve it with the same gunicorn settings as the real app:
    gunicorn -c gunicorn.conf.py "bench.ceiling_app:create_app()"
The row table lives in a metadata of its own, so it never enters the app's schema or migrations.
"""

import sqlalchemy as sa
from flask import Blueprint

from app import create_app as create_yingzhi_app
from core import clock
from core.extensions import csrf, db

ceiling_metadata = sa.MetaData()
ceiling_rows = sa.Table(
    "bench_ceiling_rows",
    ceiling_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("note", sa.String(40), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

bp = Blueprint("bench_ceiling", __name__, url_prefix="/bench")


@bp.get("/bare")
def bare():
    return "ok"


@bp.post("/insert")
@csrf.exempt  # a ceiling for the write path, not for CSRF; our own writes pay for the token check
def insert():
    db.session.execute(ceiling_rows.insert().values(note="ceiling", created_at=clock.now().replace(tzinfo=None)))
    db.session.commit()
    return "ok"


def create_app(config=None):
    app = create_yingzhi_app(config)
    app.register_blueprint(bp)
    with app.app_context():
        ceiling_metadata.create_all(db.engine, checkfirst=True)
    return app
