"""Sign officers in beforehand through the real form (GET /login for the form's CSRF token, POST
username, password, csrf_token), then fetch the session's CSRF token for JSON writes from
/api/v1/csrf. Each signed-in officer is a (cookie header, CSRF token) pair that wrk rotates.

Only failed sign-ins count against the sign-in limits, and these all succeed."""

import asyncio
import re
from dataclasses import dataclass

import httpx

FORM_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@dataclass
class Session:
    username: str
    cookie: str  # "yingzhi_session=..."
    csrf: str

    def client_kwargs(self) -> dict:
        name, _, value = self.cookie.partition("=")
        return {"cookies": {name: value}, "headers": {"X-CSRFToken": self.csrf}}


class SignInFailed(RuntimeError):
    pass


async def sign_in(client: httpx.AsyncClient, username: str, password: str) -> Session:
    client.cookies.clear()
    page = await client.get("/login")
    match = FORM_TOKEN.search(page.text)
    if page.status_code != 200 or not match:
        raise SignInFailed(f"{username}: no sign-in form ({page.status_code})")
    token = match.group(1) or match.group(2)
    answer = await client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    if answer.status_code != 302:
        raise SignInFailed(f"{username}: sign-in answered {answer.status_code}")
    csrf = (await client.get("/api/v1/csrf")).json()["csrf_token"]
    cookie_name = next(name for name in client.cookies if name.endswith("session"))
    return Session(username, f"{cookie_name}={client.cookies[cookie_name]}", csrf)


async def sign_in_all(base_url: str, usernames: list[str], password: str, concurrency: int = 8) -> list[Session]:
    """A session for each of `usernames`, in order; a name given twice gets two sessions."""
    queue = list(reversed(list(enumerate(usernames))))
    sessions: dict[int, Session] = {}

    async def worker():
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            while queue:
                index, username = queue.pop()
                sessions[index] = await sign_in(client, username, password)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return [sessions[index] for index in range(len(usernames))]


def sign_in_many(base_url: str, usernames: list[str], password: str, concurrency: int = 8) -> list[Session]:
    return asyncio.run(sign_in_all(base_url, usernames, password, concurrency))
