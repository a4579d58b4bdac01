"""gunicorn settings for Yingzhi. Run: gunicorn -c gunicorn.conf.py "app:create_app()".

Sync workers: on SQLite they were steadier than gthread (BENCHMARKS.md), and every request is
short. Each worker holds its own connection pool; with preload_app the pool created while loading
the app in the master is discarded in post_fork, so no two workers ever share a connection.
"""

import multiprocessing
import os

bind = os.environ.get("YINGZHI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("YINGZHI_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
preload_app = True
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("YINGZHI_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("YINGZHI_LOG_LEVEL", "info")
proc_name = "yingzhi"


def post_fork(server, worker):
    from core.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)
