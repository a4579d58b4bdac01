"""Run wrk with bench/rotate.lua over a file of pre-made requests; parse its one-line JSON."""

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).resolve().parent / "rotate.lua"


@dataclass
class Request:
    method: str
    path: str
    cookie: str = "-"
    csrf: str = "-"
    body: str = "-"

    def line(self) -> str:
        for field in (self.method, self.path, self.cookie, self.csrf, self.body):
            if "\t" in field or "\n" in field:
                raise ValueError("request fields may hold no tab or newline")
        return "\t".join((self.method, self.path, self.cookie, self.csrf, self.body))


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    sample: str = ""

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse_output(output: str) -> Result:
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON ") :])
            # wrk's "status" errors are the >= 400 responses, already among the non-2xx.
            errors = data["non2xx"] + data["connect"] + data["read"] + data["write"] + data["timeout"]
            return Result(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                p50_ms=data["p50"] / 1000,
                p95_ms=data["p95"] / 1000,
                p99_ms=data["p99"] / 1000,
                errors=errors,
                sample=data.get("sample", ""),
            )
    raise RuntimeError("wrk printed no result:\n" + output[-2000:])


def run(base_url: str, requests: list[Request], *, connections=16, seconds=15, threads=2, once=False) -> Result:
    """Closed-model load: `connections` connections for `seconds` (or until each request of a
    `once` list was sent)."""
    if not requests:
        raise ValueError("no requests to send")
    # One thread for "once" lists: a thread that stops early leaves connections it opened but never
    # wrote to, and each pins a sync worker until it times out, stalling the other threads.
    threads = 1 if once else min(threads, connections)
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as fh:
        fh.write("\n".join(request.line() for request in requests) + "\n")
        path = fh.name
    try:
        completed = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(LUA),
                base_url,
                "--",
                path,
                "once" if once else "loop",
                str(threads),
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
    finally:
        Path(path).unlink(missing_ok=True)
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr[-2000:]}")
    return parse_output(completed.stdout)
