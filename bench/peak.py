"""S5, the peak-hour replay (open model): officers with think time, on httpx.

Every simulated officer is a coroutine holding its own signed-in session. All of them wait on one
gate; when the gate opens they are released together and press start within the start window
(the synchronised start of BENCHMARKS.md: 3,000 within 60 s; a window of 0 is all at once), then each
answers every item of their paper with a think time between answers, syncs the timer every five
answers, submits, and looks at the result twice. The client records every save the server
acknowledged (2xx) and every score a submit answered; bench/audit.py then checks the database.

Think time is 30-90 s in the load model; `think` scales it (e.g. 3-9 s), so 1,000 officers at a
tenth of the think time offer about the load of 10,000 at full think time over a tenth of the
hour. The table says which scale ran.
"""

import asyncio
import http.cookiejar
import random
import time
from dataclasses import dataclass, field

import httpx

from bench import quiz_client
from bench.sessions import Session


def _no_cookie_client(base_url: str, connections: int) -> httpx.AsyncClient:
    # One pool for all officers; each request carries its officer's own Cookie header, and the jar
    # keeps nothing (a session refresh for one officer must never leak to another).
    jar = http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    # No limit on waiting for a pooled connection: in a burst thousands queue for `connections`,
    # and that wait is part of the latency measured, not an error of the client's own making.
    return httpx.AsyncClient(base_url=base_url, cookies=jar, limits=limits, timeout=httpx.Timeout(30, pool=None))


@dataclass
class PeakResult:
    officers: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=dict)  # kind -> seconds
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    acknowledged: dict = field(default_factory=dict)  # (attempt_id, item_id) -> response
    submitted: dict = field(default_factory=dict)  # attempt_id -> score

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values()) + self.errors

    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]


class _Officer:
    def __init__(self, session: Session, client, result: PeakResult, rng: random.Random, think, start_window, answers):
        self.headers = {"Cookie": session.cookie, "X-CSRFToken": session.csrf}
        self.client, self.result, self.rng, self.think = client, result, rng, think
        self.start_window, self.answers = start_window, answers

    async def call(self, kind, method, path, **kwargs):
        started = time.perf_counter()
        try:
            answer = await self.client.request(method, path, headers=self.headers, **kwargs)
        except httpx.HTTPError as error:
            self._failed(f"{kind}: {type(error).__name__}")
            return None
        elapsed = time.perf_counter() - started
        if not 200 <= answer.status_code < 300:
            self._failed(f"{kind}: {answer.status_code} {answer.text[:120]}")
            return None
        self.result.latencies.setdefault(kind, []).append(elapsed)
        return answer

    def _failed(self, sample):
        self.result.errors += 1
        if len(self.result.error_samples) < 5:
            self.result.error_samples.append(sample)

    async def pause(self):
        await asyncio.sleep(self.rng.uniform(*self.think))

    async def take(self, exam_id: int, gate: asyncio.Event):
        await gate.wait()
        await asyncio.sleep(self.rng.uniform(0, self.start_window))
        answer = await self.call("start", "POST", quiz_client.start_path(exam_id), json={})
        if answer is None:
            return
        attempt = quiz_client.parse_start(answer.json())
        for number, item in enumerate(attempt.items[: self.answers], start=1):
            await self.pause()
            response = quiz_client.response_for(item, self.rng)
            saved = await self.call(
                "save", "PUT", quiz_client.answer_path(attempt.id, item.id), json={"response": response}
            )
            if saved is not None:
                self.result.acknowledged[(attempt.id, item.id)] = response
            if number % 5 == 0:
                await self.call("sync", "GET", quiz_client.attempt_path(attempt.id))
        await self.pause()
        submitted = await self.call("submit", "POST", quiz_client.submit_path(attempt.id), json={})
        if submitted is None:
            return
        body = submitted.json()
        score = body.get("score") if isinstance(body, dict) else None
        self.result.submitted[attempt.id] = score
        for _ in range(2):
            await self.pause()
            await self.call("result", "GET", quiz_client.attempt_path(attempt.id))


async def _replay(base_url, sessions, exam_id, think, start_window, connections, seed, answers) -> PeakResult:
    result = PeakResult(officers=len(sessions), seconds=0.0)
    gate = asyncio.Event()
    async with _no_cookie_client(base_url, connections) as client:
        officers = [
            _Officer(session, client, result, random.Random(seed + n), think, start_window, answers)
            for n, session in enumerate(sessions)
        ]
        tasks = [asyncio.create_task(officer.take(exam_id, gate)) for officer in officers]
        await asyncio.sleep(0.5 + len(sessions) / 2000)  # every officer is waiting at the gate
        started = time.perf_counter()
        gate.set()
        await asyncio.gather(*tasks)
        result.seconds = time.perf_counter() - started
    return result


def replay(
    base_url: str,
    sessions: list[Session],
    exam_id: int,
    *,
    think=(3.0, 9.0),
    start_window=20.0,
    connections=128,
    seed=5,
    answers=None,
):
    """Officers released together press start within `start_window` seconds (0: all at once) and
    answer the first `answers` items of their paper (None: all of them)."""
    return asyncio.run(_replay(base_url, sessions, exam_id, think, start_window, connections, seed, answers))


async def _double_submits(base_url, pairs, connections):
    """Submit each (session, attempt id) twice at the same moment; returns {attempt: [statuses]}
    and {attempt: [scores of the 2xx answers]}."""
    statuses: dict[int, list[int]] = {}
    scores: dict[int, list] = {}
    async with _no_cookie_client(base_url, connections) as client:

        async def submit(session, attempt_id):
            headers = {"Cookie": session.cookie, "X-CSRFToken": session.csrf}
            answer = await client.post(quiz_client.submit_path(attempt_id), headers=headers, json={})
            statuses.setdefault(attempt_id, []).append(answer.status_code)
            if 200 <= answer.status_code < 300:
                scores.setdefault(attempt_id, []).append(answer.json().get("score"))

        await asyncio.gather(*(submit(s, a) for s, a in pairs for _ in range(2)))
    return statuses, scores


def double_submits(base_url: str, pairs: list[tuple[Session, int]], connections=32):
    return asyncio.run(_double_submits(base_url, pairs, connections))
