"""The load benchmark of issue 8: ceilings and scenarios S1-S9 of BENCHMARKS.md in one run.

    .venv/bin/python bench/load.py                       # SQLite, the production layout
    .venv/bin/python bench/load.py --db postgres         # PostgreSQL at 127.0.0.1:5432
    .venv/bin/python bench/load.py --db postgres --servers 2 --only S1,S5

The layout is bin/prod-up's: nginx (deploy/nginx.conf.template) in front of `--servers` gunicorn
app servers (gunicorn.conf.py, 2 sync workers) and `--report-servers` (default 1) gunicorn
serving /reports/ at CPU nice 10. `--report-servers 0` runs one bare gunicorn without nginx.

What one run does, in order:
1. a fresh database (temp SQLite file, or a new PostgreSQL database dropped at the end): the demo
   city and bank, `--officers` generated officers, a generated 350-question bank category and five
   open exams of 20 items for all of them (bench/world.py);
2. the ceilings: bench/ceiling_app.py (the app factory plus /bench/bare and /bench/insert) served
   exactly as the app will be (same gunicorn.conf.py, workers, server count, nginx or not),
   measured with wrk (15 s, c=16), before the scenarios and again after them (the box is shared;
   every ratio is to the mean of the two);
3. the app itself in the same layout; officers sign in through the real /login form first;
4. the scenarios (wrk with bench/rotate.lua rotating per-officer requests; S5 on httpx with the
   database audited afterwards), then ONE table: requests/s, p50/p95/p99, errors, and the ratio to
   the ceiling BENCHMARKS.md names for the scenario.

B is the start burst (issue 17): every signed-in officer (or --burst-officers) released on one
barrier, each pressing start at once, then saving --burst-answers answers with think time and
submitting; it reports the time from the release to the last paper in hand, start p50/p99, the
load generator's own CPU until then, and the audit (papers stored as handed out, answers, one
attempt each). Papers are prepared first, as the scheduler's prepare_papers job would have.

S6-S9 time the progress board of a reporting city built beside the officers (bench/world.py with
bench/reports_scale.py: --report-officers 10,000 in 200 units, 52 weeks of tests, check-ins and
study sessions, summary tables built): S6 one district over 52 weeks, S7 the city over one week,
S8 the city over 52 weeks, as its administrator; S9 loops S8 on 4 connections during S1. Other
paths can be given (--s6 /reports/...); --report-officers 0 skips them.
"""

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import audit, burst, peak, quiz_client, servers, sessions, world, wrk  # noqa: E402

APP = "app:create_app()"
CEILING_APP = "bench.ceiling_app:create_app()"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DESIGN_POINT_RPS = 150  # BENCHMARKS.md: mixed traffic the box must hold at p99 <= 1 s...
REFERENCE_BARE_RPS = 4100  # ...on the box whose bare ceiling BENCHMARKS.md measured at this
MODEL_STARTS_PER_SECOND = 50  # 3,000 starts within 60 s
REQUESTS_PER_ANSWER = 1.3  # a save per answer, a timer sync every 5, submit and 2 result views


def peak_plan(bare_rps: float, think: tuple[float, float], officers: int | None) -> dict:
    """S5 sized to this run's box: the design point scaled by the bare ceiling measured now
    against the one BENCHMARKS.md measured (the box is shared; a loaded box gets a smaller peak,
    never a collapse that says nothing). Officers with the given think time offer that rate, and
    press start at the model's rate, scaled the same way. `officers` overrides the size."""
    scale = bare_rps / REFERENCE_BARE_RPS
    rate = DESIGN_POINT_RPS * scale
    mean_think = sum(think) / 2
    count = officers or max(20, round(rate * mean_think / REQUESTS_PER_ANSWER))
    window = count / (MODEL_STARTS_PER_SECOND * scale)
    return {"scale": scale, "rate": rate, "officers": count, "start_window": window}


@dataclass
class Row:
    scenario: str
    connections: str
    rps: float | None = None
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    errors: int | None = None
    ratio: float | None = None
    anchor: str = ""
    note: str = ""


def from_wrk(name, connections, result: wrk.Result, ceiling: float | None, anchor: str, note="") -> Row:
    if result.errors and result.sample:
        note = (note + " first error: " + result.sample[:80]).strip()
    return Row(
        name,
        str(connections),
        result.rps,
        result.p50_ms,
        result.p95_ms,
        result.p99_ms,
        result.errors,
        result.rps / ceiling if ceiling else None,
        anchor,
        note,
    )


def missing(name, connections, why) -> Row:
    return Row(name, str(connections), note=f"n/a: {why}")


def format_table(rows: list[Row], title: str) -> str:
    def number(value, digits=0):
        return "-" if value is None else f"{value:,.{digits}f}"

    header = ("scenario", "c", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "ratio", "to", "note")
    lines = [
        (
            row.scenario,
            row.connections,
            number(row.rps),
            number(row.p50, 1),
            number(row.p95, 1),
            number(row.p99, 1),
            number(row.errors),
            "-" if row.ratio is None else f"{row.ratio:.3f}",
            row.anchor,
            row.note,
        )
        for row in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines)]
    out = [title, ""]
    out.append("| " + " | ".join(cell.ljust(width) for cell, width in zip(header, widths)) + " |")
    out.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for line in lines:
        out.append("| " + " | ".join(str(cell).ljust(width) for cell, width in zip(line, widths)) + " |")
    return "\n".join(out)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def test_page_rule(database_url: str) -> str | None:
    """The route of the officer's test page (a GET page with one exam_id argument whose endpoint
    ends in "take"), from the app's URL map; None while no such page exists."""
    with audit.app_context(database_url):
        from flask import current_app

        for rule in current_app.url_map.iter_rules():
            if (
                "GET" in rule.methods
                and set(rule.arguments) == {"exam_id"}
                and rule.endpoint.endswith("take")
                and not rule.rule.startswith("/api/")
            ):
                return rule.rule
    return None


async def _start_all(base_url, signed_in, exam_id, concurrency=8):
    started = {}
    queue = list(signed_in)

    async def worker():
        import httpx

        while queue:
            session = queue.pop()
            async with httpx.AsyncClient(base_url=base_url, timeout=30, **session.client_kwargs()) as client:
                started[session.username] = await quiz_client.start(client, exam_id)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return started


def start_all(base_url, signed_in, exam_id):
    return asyncio.run(_start_all(base_url, signed_in, exam_id))


class Bench:
    def __init__(self, args, database_url, exams, reports=None):
        self.args, self.url, self.exams, self.reports = args, database_url, exams, reports
        self.rows: list[Row] = []
        self.ceilings: dict[str, float] = {}
        self.measured: list = []  # (when, bare result, insert result)

    def wanted(self, name: str) -> bool:
        return not self.args.only or name in self.args.only

    def measure(self, base, requests, connections, once=False, seconds=None):
        return wrk.run(base, requests, connections=connections, seconds=seconds or self.args.seconds, once=once)

    # 2. Ceilings ---------------------------------------------------------------------------------
    def run_ceilings(self, when: str):
        """Measure both ceilings; run before and after the scenarios (the box is shared and its
        load drifts over minutes), and every ratio is to the mean of the two."""
        with servers.layout(CEILING_APP, self.url, **self.layout()) as base:
            self.measure(base, [wrk.Request("GET", "/bench/bare")], 16, seconds=3)  # warm up
            bare = self.measure(base, [wrk.Request("GET", "/bench/bare")], 16)
            insert = self.measure(base, [wrk.Request("POST", "/bench/insert")], 16)
        self.measured.append((when, bare, insert))
        self.ceilings = {
            "bare": statistics.mean(m[1].rps for m in self.measured),
            "insert": statistics.mean(m[2].rps for m in self.measured),
        }

    def ceiling_rows(self) -> list[Row]:
        rows = []
        for when, bare, insert in self.measured:
            rows.append(from_wrk(f"ceiling: bare ({when})", 16, bare, self.ceilings["bare"], "bare"))
            rows.append(from_wrk(f"ceiling: one-row insert ({when})", 16, insert, self.ceilings["bare"], "bare"))
        return rows

    def recompute_ratios(self):
        """Scenario ratios were taken against the ceilings known at the time; redo them against the
        mean of before and after."""
        for row in self.rows:
            if row.rps is not None and row.anchor in ("bare", "insert"):
                row.ratio = row.rps / self.ceilings[row.anchor]

    def layout(self):
        return {
            "servers": self.args.servers,
            "use_nginx": self.args.nginx,
            "workers": self.args.workers,
            "report_servers": self.args.report_servers,
            "report_rate": None if self.args.no_report_pacing else servers.REPORT_RATE,
        }

    # 3-4. The app --------------------------------------------------------------------------------
    def run_app(self):
        insert, bare = self.ceilings["insert"], self.ceilings["bare"]
        with servers.layout(APP, self.url, **self.layout()) as base:
            started = time.perf_counter()
            usernames = [world.officer_username(n) for n in range(self.args.officers)]
            officers = sessions.sign_in_many(base, usernames, world.OFFICER_PASSWORD)
            print(f"signed in {len(officers)} officers in {time.perf_counter() - started:.0f} s", flush=True)
            by_name = {session.username: session for session in officers}
            answering = officers[:64]
            self.burst(base, officers)
            try:
                papers = start_all(base, answering, self.exams["answers"])
            except Exception as error:  # noqa: BLE001 (the API of issue 4 may not be there yet)
                papers = None
                why = f"test-taking API unavailable ({str(error)[:80]})"
            if papers is None:
                for name in ("S1 autosave", "S1 autosave", "S2 start", "S3 test page", "S4 submit", "S5 peak"):
                    self.rows.append(missing(name, "", why))
            else:
                self.s1(base, answering, papers, insert)
                self.s3(base, answering, papers, bare)
                self.s2_s4(base, officers, by_name, insert)
            self.s6_s9(base, officers, answering, papers, insert)
            if papers is not None and self.wanted("S5"):
                self.s5(base, officers)

    def s1_requests(self, answering, papers):
        import random

        rng = random.Random(1)
        requests = []
        for number in range(20):  # interleave officers, so consecutive requests are different people
            for session in answering:
                attempt = papers[session.username]
                if number < len(attempt.items):
                    item = attempt.items[number]
                    body = quiz_client.answer_body(quiz_client.response_for(item, rng))
                    path = quiz_client.answer_path(attempt.id, item.id)
                    requests.append(wrk.Request("PUT", path, session.cookie, session.csrf, body))
        return requests

    def s1(self, base, answering, papers, insert):
        if not self.wanted("S1"):
            return
        requests = self.s1_requests(answering, papers)
        for connections in (16, 64):
            result = self.measure(base, requests, connections)
            self.rows.append(from_wrk("S1 autosave", connections, result, insert, "insert"))
            if connections == 16:
                self.s1_solo = result

    def s3(self, base, answering, papers, bare):
        if not self.wanted("S3"):
            return
        # The page is the shell the officer opens; its script then resumes the attempt (POST start
        # answers 200 with the paper of 20 items and the saved answers). Both are timed.
        rule = test_page_rule(self.url)
        exam_id = self.exams["answers"]
        if rule is None:
            self.rows.append(missing("S3 test page", 16, "no test page route yet"))
        else:
            path = rule.replace("<int:exam_id>", str(exam_id)).replace("<exam_id>", str(exam_id))
            requests = [wrk.Request("GET", path, session.cookie) for session in answering]
            result = self.measure(base, requests, 16)
            self.rows.append(from_wrk("S3 test page", 16, result, bare, "bare", note=rule))
        start = quiz_client.start_path(exam_id)
        requests = [wrk.Request("POST", start, session.cookie, session.csrf, "{}") for session in answering]
        result = self.measure(base, requests, 16)
        self.rows.append(from_wrk("S3 paper (resume)", 16, result, bare, "bare", note="20 items + saved answers"))

    def prepare(self) -> tuple[int, float]:
        """Draw the papers the scheduler's prepare_papers job would have drawn by now (the exams
        were published at build; every start since made the officer's other papers stale).
        Returns (papers drawn, seconds)."""
        began = time.perf_counter()
        with audit.app_context(self.url):
            from core import clock
            from quiz.prepared import prepare_all

            drawn = prepare_all(clock.now())
        return drawn, time.perf_counter() - began

    def burst(self, base, officers):
        """B: every officer signed in beforehand, released together on one gate (bench/burst.py:
        each officer's start once, over --burst-connections connections opened before the
        release). The figure is the time from the release to the last paper in hand, with the
        load generator's own CPU beside it. Then each officer, on httpx, resumes their paper
        within --burst-resume-window seconds, saves --burst-answers answers with think time and
        submits; the audit checks that every officer holds one attempt with the whole paper they
        were handed, and every acknowledged save and submit."""
        if not self.wanted("B"):
            return
        count = min(self.args.burst_officers or len(officers), len(officers))
        released = officers[:count]
        drawn, took = self.prepare()
        print(f"B: {drawn} papers prepared in {took:.1f} s; releasing {count} officers", flush=True)
        exam_id = self.exams["burst"]
        result = burst.release(base, released, exam_id, self.args.burst_connections)
        low, high = (float(x) for x in self.args.burst_think.split("-"))
        answered = peak.replay(
            base,
            released,
            exam_id,
            think=(low, high),
            start_window=self.args.burst_resume_window,
            connections=self.args.s5_connections,
            answers=self.args.burst_answers,
        )
        report = audit.audit_exam(
            self.url, exam_id, answered.acknowledged, answered.submitted, officers=count, handed_out=result.started
        )
        last = result.last_paper
        served = len(result.papers) / last if last else 0.0
        note = (
            f"{count} officers released at once over {min(self.args.burst_connections, count)} connections: "
            + (f"the last paper {last:.2f} s after the release" if last else "no paper")
            + f" ({len(result.papers)} papers, {served:.0f}/s served, {count} offered at once); "
            f"{drawn} papers prepared beforehand in {took:.0f} s; load generator CPU {result.client_cpu:.2f} s "
            f"({100 * result.client_cpu / last if last else 0:.0f} % of one core) until then; "
            f"then {self.args.burst_answers} answers each (think {self.args.burst_think} s): saves acked "
            f"{report['answers acknowledged']}, submits {report['attempts submitted']}, {answered.errors} errors; "
            f"audit problems {audit.problems(report)}"
        )
        if result.error_samples:
            note += "; first error: " + result.error_samples[0][:80]
        self.rows.append(
            Row(
                "B start burst",
                str(count),
                served or None,
                percentile(result.latencies, 0.50) * 1000 if result.latencies else None,
                percentile(result.latencies, 0.95) * 1000 if result.latencies else None,
                percentile(result.latencies, 0.99) * 1000 if result.latencies else None,
                result.errors + answered.errors + audit.problems(report),
                served / self.ceilings["insert"] if served else None,
                "insert",
                note,
            )
        )
        print("B audit:", report, flush=True)

    def s2_s4(self, base, officers, by_name, insert):
        for connections, use in ((16, "start_c16"), (64, "start_c64")):
            if not self.wanted("S2"):
                break
            drawn, took = self.prepare()
            print(f"S2 c={connections}: {drawn} papers prepared in {took:.1f} s", flush=True)
            exam_id = self.exams[use]
            requests = [wrk.Request("POST", quiz_client.start_path(exam_id), s.cookie, s.csrf, "{}") for s in officers]
            result = self.measure(base, requests, connections, once=True)
            note = f"{result.requests} fresh starts"
            self.rows.append(from_wrk("S2 start", connections, result, insert, "insert", note))
        if not self.wanted("S4"):
            return
        exam_id = self.exams["start_c16"]
        filled = audit.fill_answers(self.url, exam_id)
        attempts = audit.attempts_by_user(self.url, exam_id)
        if not attempts:
            self.rows.append(missing("S4 submit", 16, "no started attempts (S2 did not run)"))
            return
        requests = [
            wrk.Request("POST", quiz_client.submit_path(attempt_id), by_name[name].cookie, by_name[name].csrf, "{}")
            for name, attempt_id in attempts.items()
        ]
        result = self.measure(base, requests, 16, once=True)
        note = f"{result.requests} submits of full papers ({filled // max(len(attempts), 1)} answers each)"
        self.rows.append(from_wrk("S4 submit", 16, result, insert, "insert", note))
        # Double submits: every attempt submitted twice at the same moment gives one result.
        pairs_officers = officers[:100]
        started = start_all(base, pairs_officers, self.exams["submit"])
        audit.fill_answers(self.url, self.exams["submit"])
        pairs = [(s, started[s.username].id) for s in pairs_officers]
        statuses, scores = peak.double_submits(base, pairs)
        report = audit.audit_exam(self.url, self.exams["submit"], {}, {a: given[0] for a, given in scores.items()})
        # A second submit answers the same result (200) or a conflict; never a second grading.
        wrong = sum(1 for codes in statuses.values() if min(codes) >= 300 or max(codes) >= 500)
        wrong += sum(1 for given in scores.values() if len(set(given)) > 1)
        wrong += audit.problems(report)
        self.rows.append(
            Row(
                "S4 double submit",
                "32",
                errors=wrong,
                note=f"{len(pairs)} attempts x 2 submits: "
                f"{sum(1 for codes in statuses.values() for c in codes if c < 300)} accepted",
            )
        )

    def s6_s9(self, base, officers, answering, papers, insert):
        built = self.reports or {}
        reports = {name: getattr(self.args, name.lower()) or built.get(name) for name in ("S6", "S7", "S8")}
        self.board_path = reports["S8"]
        wanted = [name for name in ("S6", "S7", "S8", "S9") if self.wanted(name)]
        if not wanted:
            return
        if not any(reports.values()):
            for name in wanted:
                self.rows.append(missing(name, "", "no reporting city (--report-officers 0) and no --s6/--s7/--s8"))
            return
        username, password = built.get("admin", ("admin", "yingzhi2026"))
        admin = sessions.sign_in_many(base, [username], password, concurrency=1)[0]
        # S6-S8 time the board itself, one session looping it: from the report server, past
        # nginx's pacing of each session (which S9 keeps, as production does).
        for name, path in reports.items():
            if not path or not self.wanted(name):
                continue
            request = [wrk.Request("GET", path, admin.cookie)]
            result = self.measure(base.reports, request, 1)
            self.rows.append(from_wrk(f"{name} report", 1, result, None, "", note=path))
            if name == "S6":
                result = self.measure(base.reports, request, 16)
                self.rows.append(from_wrk(f"{name} report", 16, result, None, "", note=path))
        if "S9" in wanted and papers is not None and self.board_path:
            supervisors = sessions.sign_in_many(base, [username] * 4, password, concurrency=1)
            self.s9(base, answering, papers, supervisors, insert)

    def s9(self, base, answering, papers, supervisors, insert):
        """S1 at c=16 while 4 connections loop the org-wide board (S8): two wrk processes at once."""
        from concurrent.futures import ThreadPoolExecutor

        requests = self.s1_requests(answering, papers)
        # Four supervisors, a session each, as four people looping their boards would be.
        board = [wrk.Request("GET", self.board_path, session.cookie) for session in supervisors]
        with ThreadPoolExecutor(2) as pool:
            boards = pool.submit(self.measure, base, board, 4, False, self.args.seconds + 2)
            time.sleep(1)
            saves = pool.submit(self.measure, base, requests, 16)
            result, board_result = saves.result(), boards.result()
        solo = getattr(self, "s1_solo", None)
        row = from_wrk("S9 autosave + 4 boards", 16, result, solo.rps if solo else None, "S1 solo")
        paced = "unpaced" if self.args.no_report_pacing else f"paced {servers.REPORT_RATE} a session"
        row.note = f"boards {board_result.rps:.1f}/s p50 {board_result.p50_ms:.0f} ms ({paced})"
        self.rows.append(row)

    def s5(self, base, officers):
        low, high = (float(x) for x in self.args.s5_think.split("-"))
        plan = peak_plan(self.ceilings["bare"], (low, high), self.args.s5_officers)
        ended = audit.end_open_attempts(self.url, self.exams["peak"])
        if ended:
            print(f"S5: {ended} attempts left open by S1-S4 ended first", flush=True)
        self.prepare()  # as the scheduler would have: the starts of S1-S4 made these papers stale
        count = min(plan["officers"], len(officers))
        window = self.args.s5_start_window if self.args.s5_start_window is not None else plan["start_window"]
        result = peak.replay(
            base,
            officers[:count],
            self.exams["peak"],
            think=(low, high),
            start_window=window,
            connections=self.args.s5_connections,
        )
        report = audit.audit_exam(self.url, self.exams["peak"], result.acknowledged, result.submitted)
        latencies = result.all_latencies()
        rps = result.requests / result.seconds if result.seconds else 0
        note = (
            f"{count} officers, starts within {window:.0f} s, think {self.args.s5_think} s "
            f"(design point x {plan['scale']:.2f} = {plan['rate']:.0f} req/s), "
            f"{result.seconds:.0f} s; "
            f"saves acked {report['answers acknowledged']}, submits {report['attempts submitted']}; "
            f"audit problems {audit.problems(report)}"
        )
        for kind in ("start", "save", "submit"):
            if result.latencies.get(kind):
                note += f"; {kind} p99 {percentile(result.latencies[kind], 0.99) * 1000:.0f} ms"
        if result.error_samples:
            note += "; first error: " + result.error_samples[0][:80]
        self.rows.append(
            Row(
                "S5 peak replay",
                f"<={self.args.s5_connections}",
                rps,
                percentile(latencies, 0.50) * 1000 if latencies else None,
                percentile(latencies, 0.95) * 1000 if latencies else None,
                percentile(latencies, 0.99) * 1000 if latencies else None,
                result.errors + audit.problems(report),
                rps / plan["rate"],
                "scaled design point",
                note,
            )
        )
        print("S5 audit:", report, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=os.environ.get("YINGZHI_BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--servers", type=int, default=1, help="gunicorn app servers (2 or more: behind nginx)")
    parser.add_argument("--nginx", action="store_true", help="put nginx in front even of one server")
    parser.add_argument(
        "--no-report-pacing",
        action="store_true",
        help="nginx does not pace each session's report requests (deploy/nginx.py REPORT_RATE)",
    )
    parser.add_argument("--workers", type=int, default=2, help="sync workers per gunicorn (BENCHMARKS.md: 2)")
    parser.add_argument(
        "--report-servers",
        type=int,
        default=1,
        help="gunicorn servers for /reports/ at nice 10, behind nginx, as bin/prod-up runs them "
        "(0: one server without nginx serves everything)",
    )
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per closed-model scenario")
    parser.add_argument("--officers", type=int, default=2000, help="officers signed in before the scenarios")
    parser.add_argument(
        "--s5-officers",
        type=int,
        help="officers in the peak replay (default: as many as offer the 150 req/s design point scaled "
        "by this run's bare ceiling / 4,100, BENCHMARKS.md's)",
    )
    parser.add_argument("--s5-think", default="3-9", help="think time between answers, seconds (model: 30-90)")
    parser.add_argument(
        "--s5-start-window",
        type=float,
        help="released together, officers press start within this many seconds (default: the model's "
        "50 starts/s, scaled like the officers)",
    )
    parser.add_argument("--s5-connections", type=int, default=128, help="client connection pool for S5")
    parser.add_argument("--burst-officers", type=int, help="officers in the start burst B (default: all signed in)")
    parser.add_argument("--burst-think", default="10-30", help="B: think time between answers, seconds")
    parser.add_argument("--burst-answers", type=int, default=5, help="B: answers each officer saves before submitting")
    parser.add_argument("--burst-connections", type=int, default=128, help="B: connections open at the release")
    parser.add_argument(
        "--burst-resume-window", type=float, default=30, help="B: officers resume their paper within this many s"
    )
    parser.add_argument(
        "--report-officers", type=int, default=10000, help="officers of the reporting city for S6-S9 (0: none)"
    )
    parser.add_argument("--report-weeks", type=int, default=52)
    parser.add_argument("--s6", help="GET path of the one-unit x 52-weeks board (as admin)")
    parser.add_argument("--s7", help="GET path of the one-week x all-units board")
    parser.add_argument("--s8", help="GET path of the org-wide board (also looped by S9)")
    parser.add_argument("--only", type=lambda text: set(text.upper().split(",")), help="e.g. S1,S5")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    return args


def main(argv=None):
    args = parse_args(argv)
    os.chdir(ROOT)  # gunicorn finds gunicorn.conf.py and the app here
    # A TERM (timeout, an operator) unwinds like Ctrl-C, so every server this run started is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.perf_counter()
    with world.fresh_database(args.db, args.postgres_url, keep=args.keep) as url:
        summary = world.build(url, args.officers, report_officers=args.report_officers, report_weeks=args.report_weeks)
        print(f"database ready ({args.db}): {summary}", flush=True)
        bench = Bench(args, url, summary["exams"], summary.get("reports"))
        bench.run_ceilings("before")
        print(f"ceilings: bare {bench.ceilings['bare']:.0f} req/s, insert {bench.ceilings['insert']:.0f}", flush=True)
        bench.run_app()
        bench.run_ceilings("after")
        print(
            f"ceilings after: bare {bench.measured[-1][1].rps:.0f}, insert {bench.measured[-1][2].rps:.0f}", flush=True
        )
        bench.recompute_ratios()
        if args.keep:
            print(f"database kept: {url}")
    layout = f"{args.servers} x gunicorn -w {args.workers} -k sync"
    if args.report_servers:
        layout += f" + {args.report_servers} for /reports/ at nice {servers.REPORT_SERVER_NICE}"
    if args.nginx or args.servers > 1 or args.report_servers:
        layout += " behind nginx"
    title = (
        f"Yingzhi load benchmark: {args.db}, {layout}, wrk {args.seconds} s, "
        f"{os.cpu_count()} cores, load generator on the same box ({time.perf_counter() - began:.0f} s in all); "
        "ratios to the mean of the ceilings before and after"
    )
    print()
    print(format_table(bench.ceiling_rows() + bench.rows, title))
    with contextlib.suppress(OSError):
        print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
