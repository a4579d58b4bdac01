"""The start burst's release (scenario B of bench/load.py): every officer's start sent at once.

A thin HTTP/1.1 client on asyncio streams, so that the load generator, which shares the box, costs
little beside the server: each request is made as bytes before the release, each of `connections`
keep-alive connections sends the next officer's start as soon as its last one was answered (the
officers beyond that many wait for a connection, as phones wait in the server's queue). It
records, for every officer, when their paper was in hand after the release, and the paper's
attempt id and item count for the audit.
"""

import asyncio
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench import quiz_client
from bench.sessions import Session


@dataclass
class Release:
    officers: int
    papers: list[float] = field(default_factory=list)  # seconds from the release to each paper in hand
    latencies: list[float] = field(default_factory=list)  # seconds from sending a start to its answer
    started: dict = field(default_factory=dict)  # attempt id -> items in the paper handed out
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    client_cpu: float = 0.0  # this process's CPU from the release to the last answer

    @property
    def last_paper(self) -> float | None:
        return max(self.papers) if self.papers else None


def _start_request(host: str, path: str, session: Session) -> bytes:
    body = b"{}"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {session.cookie}\r\nX-CSRFToken: {session.csrf}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
        elif name.strip().lower() == "transfer-encoding" and "chunked" in value.lower():
            raise RuntimeError("chunked answers are not expected from the start API")
    return status, await reader.readexactly(length)


async def _release(base_url: str, sessions: list[Session], exam_id: int, connections: int) -> Release:
    url = urlsplit(base_url)
    path = quiz_client.start_path(exam_id)
    requests = [_start_request(url.netloc, path, session) for session in sessions]
    result = Release(officers=len(sessions))
    queue = list(reversed(requests))
    gate = asyncio.Event()

    async def connection():
        reader, writer = await asyncio.open_connection(url.hostname, url.port or 80)
        await gate.wait()
        try:
            while queue:
                request = queue.pop()
                sent = time.perf_counter()
                writer.write(request)
                status, body = await _answer(reader)
                answered = time.perf_counter()
                result.latencies.append(answered - sent)
                if 200 <= status < 300:
                    result.papers.append(answered - released)
                    state = json.loads(body)
                    result.started[state["id"]] = len(state["items"])
                else:
                    result.errors += 1
                    if len(result.error_samples) < 5:
                        result.error_samples.append(f"{status} {body[:120]!r}")
        finally:
            writer.close()

    tasks = [asyncio.create_task(connection()) for _ in range(min(connections, len(requests)))]
    await asyncio.sleep(0.5)  # every connection is open and waiting at the gate
    cpu = time.process_time()
    released = time.perf_counter()
    gate.set()
    await asyncio.gather(*tasks)
    result.client_cpu = time.process_time() - cpu
    return result


def release(base_url: str, sessions: list[Session], exam_id: int, connections: int = 128) -> Release:
    """Release `sessions` together on one gate: each officer's start, once, over `connections`."""
    return asyncio.run(_release(base_url, sessions, exam_id, connections))
