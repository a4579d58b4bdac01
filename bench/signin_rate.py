"""Benchmark (issue 17, "everyone presses start in the same second"): how many sign-ins a second
this box holds with today's password hash, and how many re-sign-ins by a remembered phone.

Builds a fresh database (a temp SQLite file, or a new PostgreSQL database on 127.0.0.1 dropped
afterwards) with N officers whose password hash is the app's own (config.py's
PASSWORD_HASH_METHOD, scrypt: not the cheap pbkdf2 of bench/exam_load.py); every officer shares
one hash of the same password, which costs the server exactly what N different ones would. Serves
the app with gunicorn (gunicorn.conf.py, development config, 2 sync workers) and, with at most
--concurrency requests in flight:

1. signs every officer in through POST /login with the right password and 记住这台手机 ticked
   (each officer's GET /login for the form's token is fetched beforehand and not timed);
2. sends GET / with only each officer's device cookie, --rounds times over: every request is a
   re-sign-in (a new login session, no password hash), then the home page;
3. for comparison, GET / with each officer's live session cookie (the home page alone).

Prints per phase the rate, p50/p99 latency, the load generator's CPU (getrusage of this process)
and the box's load average; and the time one password check takes in this process (20 checks).

    .venv/bin/python bench/signin_rate.py [--db sqlite|postgres] [--officers 200] [--concurrency 16]
"""

import argparse
import asyncio
import http.cookiejar
import os
import re
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import gunicorn  # noqa: E402
from bench.world import fresh_database  # noqa: E402

PASSWORD = "bench-signin-2026"  # noqa: S105 (throwaway benchmark accounts)
FORM_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
SESSION_COOKIE, DEVICE_COOKIE = "yingzhi_session", "yingzhi_device"


# ---- the database -------------------------------------------------------------------------------


def build(database_url: str, officers: int) -> dict:
    """Migrate; a city with one station of `officers` officers sharing one production-strength
    hash. Returns the hash method and the time of one check, measured here (20 checks)."""
    from flask_migrate import upgrade

    from accounts import passwords, services, units
    from accounts.models import Role, UnitKind
    from app import create_app
    from core import clock
    from core.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-build"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        password_hash = passwords.hash_password(PASSWORD)
        checks = []
        for _ in range(20):
            started = time.perf_counter()
            assert passwords.verify_password(password_hash, PASSWORD)
            checks.append(time.perf_counter() - started)
        now = clock.now()
        city = units.create_unit(None, name="登录压测市", kind=UnitKind.COMMITTEE, parent=None, now=now)
        station = units.create_unit(None, name="登录压测派出所", kind=UnitKind.DEPARTMENT, parent=city, now=now)
        for n in range(officers):
            services.create_user(
                None,
                username=username(n),
                full_name=f"登录压测{n}",
                unit=station,
                role=Role.OFFICER,
                now=now,
                password_hash=password_hash,
            )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
        db.engine.dispose()
    return {"method": password_hash.split("$", 1)[0], "check_ms": [c * 1000 for c in checks]}


def username(n: int) -> str:
    return f"signin{n:04d}"


# ---- the load -----------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    load: tuple = ()

    def line(self) -> str:
        done = len(self.latencies)
        ms = sorted(value * 1000 for value in self.latencies) or [0.0]
        return (
            f"{self.name:<34} {done:>5} in {self.seconds:5.1f} s = {done / self.seconds:7.1f}/s   "
            f"p50 {percentile(ms, 50):6.0f} ms  p99 {percentile(ms, 99):6.0f} ms   "
            f"client CPU {self.cpu_seconds:4.1f} s ({100 * self.cpu_seconds / self.seconds:3.0f}% of a core)   "
            f"load {' '.join(f'{x:.2f}' for x in self.load)}"
            + (f"   FAILED {len(self.failures)}" if self.failures else "")
        )


def percentile(ordered, p):
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _client(base: str, concurrency: int) -> httpx.AsyncClient:
    # Each request carries its officer's own Cookie header; the jar keeps nothing.
    jar = http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(base_url=base, cookies=jar, limits=limits, timeout=60)


def _set_cookies(response) -> dict:
    cookies = {}
    for header in response.headers.get_list("set-cookie"):
        name, _, value = header.split(";", 1)[0].partition("=")
        cookies[name.strip()] = value.strip()
    return cookies


async def _run(base, name, jobs, concurrency, call) -> Phase:
    """Run `call(client, job)` for every job with at most `concurrency` in flight; time it."""
    phase = Phase(name)
    queue = list(reversed(jobs))
    async with _client(base, concurrency) as client:

        async def worker():
            while queue:
                job = queue.pop()
                started = time.perf_counter()
                try:
                    problem = await call(client, job)
                except httpx.HTTPError as error:
                    problem = repr(error)
                if problem:
                    phase.failures.append(problem)
                else:
                    phase.latencies.append(time.perf_counter() - started)

        cpu, started = _cpu(), time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        phase.seconds, phase.cpu_seconds = time.perf_counter() - started, _cpu() - cpu
    phase.load = os.getloadavg()
    return phase


@dataclass
class Officer:
    username: str
    form_cookie: str = ""
    form_token: str = ""
    session: str = ""
    device: str = ""


async def fetch_forms(base, officers, concurrency):
    async def call(client, officer):
        page = await client.get("/login")
        match = FORM_TOKEN.search(page.text)
        if page.status_code != 200 or not match:
            return f"{officer.username}: GET /login {page.status_code}"
        officer.form_cookie = _set_cookies(page).get(SESSION_COOKIE, "")
        officer.form_token = match.group(1) or match.group(2)
        return None

    return await _run(base, "GET /login (the form, not timed)", officers, concurrency, call)


async def sign_in(base, officers, concurrency):
    async def call(client, officer):
        response = await client.post(
            "/login",
            data={
                "username": officer.username,
                "password": PASSWORD,
                "remember": "y",
                "csrf_token": officer.form_token,
            },
            headers={"Cookie": f"{SESSION_COOKIE}={officer.form_cookie}"},
        )
        cookies = _set_cookies(response)
        if response.status_code != 302 or DEVICE_COOKIE not in cookies:
            return f"{officer.username}: POST /login {response.status_code}"
        officer.session, officer.device = cookies[SESSION_COOKIE], cookies[DEVICE_COOKIE]
        return None

    return await _run(base, "POST /login (password check)", officers, concurrency, call)


async def home(base, officers, concurrency, cookie_name):
    async def call(client, officer):
        value = officer.device if cookie_name == DEVICE_COOKIE else officer.session
        response = await client.get("/", headers={"Cookie": f"{cookie_name}={value}"})
        if response.status_code != 200:
            return f"{officer.username}: GET / {response.status_code}"
        if cookie_name == DEVICE_COOKIE and SESSION_COOKIE not in _set_cookies(response):
            return f"{officer.username}: GET / with the device cookie started no session"
        return None

    if cookie_name == DEVICE_COOKIE:
        return await _run(base, "GET / with only the device cookie", officers, concurrency, call)
    return await _run(base, "GET / with a live session cookie", officers, concurrency, call)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--officers", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight at most")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=3, help="device-cookie re-sign-ins per officer")
    args = parser.parse_args()

    print(f"box: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with fresh_database(args.db, args.postgres_url) as url:
        started = time.perf_counter()
        built = build(url, args.officers)
        checks = built["check_ms"]
        print(f"database ({args.db}): {args.officers} officers in {time.perf_counter() - started:.1f} s")
        print(
            f"one password check in process ({built['method']}, 20 checks): median {statistics.median(checks):.1f} ms,"
            f" min {min(checks):.1f} ms, max {max(checks):.1f} ms"
        )
        hash_ceiling = min(args.workers, os.cpu_count() or 1) * 1000 / statistics.median(checks)
        print(
            f"  so {min(args.workers, os.cpu_count() or 1)} busy workers check at most {hash_ceiling:.0f} passwords/s"
        )
        with gunicorn("app:create_app()", url, workers=args.workers) as base:
            officers = [Officer(username(n)) for n in range(args.officers)]
            phases = [asyncio.run(fetch_forms(base, officers, args.concurrency))]
            phases.append(asyncio.run(sign_in(base, officers, args.concurrency)))
            signed = [officer for officer in officers if officer.device]
            phases.append(asyncio.run(home(base, signed * args.rounds, args.concurrency, DEVICE_COOKIE)))
            phases.append(asyncio.run(home(base, signed * args.rounds, args.concurrency, SESSION_COOKIE)))
    print(
        f"\ngunicorn {args.workers} sync workers, {args.db}, concurrency {args.concurrency}, "
        f"{args.officers} officers, {args.rounds} device-cookie rounds"
    )
    for phase in phases:
        print("  " + phase.line())
        for failure in phase.failures[:3]:
            print(f"      {failure}")
    if any(phase.failures for phase in phases):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
