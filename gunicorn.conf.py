"""gunicorn settings for Yingzhi. Run: gunicorn -c gunicorn.conf.py "app:create_app()".

Sync workers, one per core (YINGZHI_WORKERS overrides). Measured on this 2-core box with SQLite,
wrk c=16 on loopback, the bench app (bench/ceiling_app.py) and the autosave of S1, medians of
three interleaved 8 s rounds while other jobs loaded the box (load average 5-8, so only the
comparison counts, not the figures):

    worker setting        bare req/s  insert req/s  S1 autosave req/s  S1 p99
    sync, 2 workers            652          420               110       335 ms
    sync, 3 workers            625          269                88       682 ms
    gthread, 2 x 4 threads   1,305          584               132     1,315 ms

gthread answers the bare endpoint faster (it keeps connections alive; sync closes each one) but
its autosave tail is four times longer: threads of one process queue on the GIL and on SQLite's
single writer while holding the write lock. A third sync worker only adds contention on 2 cores.
Every request here is short, so sync workers behind nginx (which buffers slow phone clients)
are the steady choice; BENCHMARKS.md saw the same. Each worker holds its own connection pool;
with preload_app the pool created while loading the app in the master is discarded in
post_fork, so no two workers ever share a connection.
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

# Report servers (bin/prod-up, nginx routes /reports/ to them) run at a lower CPU priority.
cpu_nice = int(os.environ.get("YINGZHI_NICE", "0"))


def on_starting(server):
    if cpu_nice:
        os.nice(cpu_nice)
        # Linux weighs a process started in a session of its own (setsid, as a service manager or
        # the benchmark starts it) as a group against the other groups, whatever its nice value:
        # the group's own nice must say it too. (Under systemd, set CPUWeight= on the unit.)
        try:
            with open("/proc/self/autogroup", "w") as autogroup:
                autogroup.write(str(cpu_nice))
        except OSError:
            pass


def post_fork(server, worker):
    from core.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)
