"""Time (and optionally profile) the hot requests of issue 8 in-process, without a server: the
save, start, test page, paper resume, submit and board requests, each as the app serves it, through
the WSGI stack (Flask's test client) on the benchmark's database (bench/world.py).

    .venv/bin/python bench/profile_requests.py                    # median ms per request
    .venv/bin/python bench/profile_requests.py --profile save     # pyinstrument tree of the save
    .venv/bin/python bench/profile_requests.py --db postgres

The figures are CPU per request on one core with no contention: what a sync worker spends. They
are for finding and comparing work, not for the issue's targets (bench/load.py gives those).
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, quiz_client, servers, world  # noqa: E402

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sign_in(client, username, password):
    page = client.get("/login")
    token = TOKEN.search(page.get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert answer.status_code == 302, answer.status_code
    return client.get("/api/v1/csrf").get_json()["csrf_token"]


def timed(label, call, repeat, profile_name=None):
    for _ in range(min(repeat, 20)):  # warm caches
        call()
    samples = []
    profiler = None
    if profile_name == label:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    if profiler:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(
        f"{label:<16} median {statistics.median(samples) * 1000:6.2f} ms   p90 "
        f"{load.percentile(samples, 0.9) * 1000:6.2f} ms   ({repeat} requests)",
        flush=True,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=load.DEFAULT_POSTGRES)
    parser.add_argument("--repeat", type=int, default=400)
    parser.add_argument("--officers", type=int, default=60)
    parser.add_argument("--report-officers", type=int, default=0, help="build the reporting city too (S6-S8)")
    parser.add_argument("--profile", help="one of: bare, insert, save, page, resume, start, submit, S6, S7, S8")
    args = parser.parse_args(argv)

    with world.fresh_database(args.db, args.postgres_url) as url:
        summary = world.build(url, args.officers, report_officers=args.report_officers)
        os.environ.update(servers.app_environment(url))
        from bench.ceiling_app import create_app

        app = create_app()
        exams = summary["exams"]
        client = app.test_client()
        csrf = sign_in(client, world.officer_username(0), world.OFFICER_PASSWORD)
        headers = {"X-CSRFToken": csrf}
        timed("bare", lambda: client.get("/bench/bare"), args.repeat, args.profile)
        timed("insert", lambda: client.post("/bench/insert"), args.repeat, args.profile)

        started = client.post(quiz_client.start_path(exams["answers"]), json={}, headers=headers)
        attempt = quiz_client.parse_start(started.get_json())
        rng = random.Random(1)
        bodies = [
            (quiz_client.answer_path(attempt.id, item.id), quiz_client.answer_body(quiz_client.response_for(item, rng)))
            for item in attempt.items
        ]
        turn = iter(range(10**9))

        def save():
            path, body = bodies[next(turn) % len(bodies)]
            answer = client.put(path, data=body, headers=headers, content_type="application/json")
            assert answer.status_code == 200, answer.get_data(as_text=True)

        timed("save", save, args.repeat, args.profile)
        page_rule = load.test_page_rule(url)
        page = page_rule.replace("<int:exam_id>", str(exams["answers"]))
        timed("page", lambda: client.get(page), args.repeat, args.profile)
        resume = quiz_client.start_path(exams["answers"])
        timed("resume", lambda: client.post(resume, json={}, headers=headers), args.repeat // 4, args.profile)

        # Start and submit consume officers: one fresh client per officer.
        officers = []
        for number in range(1, args.officers):
            other = app.test_client()
            token = sign_in(other, world.officer_username(number), world.OFFICER_PASSWORD)
            officers.append((other, {"X-CSRFToken": token}))
        with app.app_context():  # as the scheduler's prepare_papers job would have (quiz.prepared)
            from core import clock
            from quiz.prepared import prepare_all

            print(f"papers prepared: {prepare_all(clock.now())}", flush=True)
        queue = list(officers)
        started_ids = []

        def start():
            other, other_headers = queue.pop()
            answer = other.post(quiz_client.start_path(exams["start_c16"]), json={}, headers=other_headers)
            assert answer.status_code == 201, answer.status_code
            started_ids.append((other, other_headers, answer.get_json()["id"]))

        timed("start", start, len(officers) - 20, args.profile)
        submits = list(started_ids)

        def submit():
            other, other_headers, attempt_id = submits.pop()
            answer = other.post(quiz_client.submit_path(attempt_id), json={}, headers=other_headers)
            assert answer.status_code == 200, answer.status_code

        timed("submit", submit, len(submits) - 20, args.profile)

        if "reports" in summary:
            reports = summary["reports"]
            admin = app.test_client()
            sign_in(admin, *reports["admin"])
            for name in ("S6", "S7", "S8"):
                timed(name, lambda path=reports[name]: admin.get(path), 20, args.profile)


if __name__ == "__main__":
    main()
