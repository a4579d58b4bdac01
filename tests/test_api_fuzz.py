"""Schemathesis against /api/v1/openapi.json, signed in as an officer and as a supervisor, on a
seeded database (the access tests' east district: an exam with the officer's attempt in progress,
a session with a leave request, a check-in, a reading, a bulletin): no 5xx, and every response
has a documented status, content type and schema.

Sized for CI by YINGZHI_FUZZ_EXAMPLES (default 15 examples per operation and generation phase);
`YINGZHI_FUZZ_EXAMPLES=500 bin/test tests/test_api_fuzz.py` is the long run.
"""

import contextvars
import os
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import id_providers

EXAMPLES = int(os.environ.get("YINGZHI_FUZZ_EXAMPLES", "15"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CASES = {"officer": 0, "supervisor": 0}


@pytest.fixture
def seeded(app, world, frozen_clock):
    return {**id_providers.east_ids(world), "world": world}


@pytest.fixture
def signed_in(app, seeded, login_as):
    """role → the cookie and CSRF headers of a real sign-in, as the page's script sends them."""
    signed = {}

    def headers(role):
        if role not in signed:
            client = login_as(seeded["world"]["east_officer" if role == "officer" else "east_supervisor"])
            token = client.get("/api/v1/csrf").get_json()["csrf_token"]
            cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
            signed[role] = ({cookie.key: cookie.value}, {"X-CSRFToken": token})
        return signed[role]

    return headers


def _operations(app, client):
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").get_json())
    return [result.ok() for result in schema.get_all_operations()]


def _real_ids(case, seeded):
    """Half the generated ids (the odd ones) become ids that exist, so the fuzzing reaches past 404."""
    real = {
        "attempt_id": seeded["attempt_id"],
        "item_id": seeded["item_id"],
        "exam_id": seeded["exam_id"],
        "session_id": seeded["session_id"],
    }
    for name, value in list((case.path_parameters or {}).items()):
        if name in real and isinstance(value, int) and value % 2:
            case.path_parameters[name] = real[name]
        if name == "day" and isinstance(value, str) and len(value) % 2:
            case.path_parameters[name] = date(2026, 11, 23).isoformat()


def _fuzz(role, app, client, seeded, signed_in):
    """Every operation, with data that fits its schema and data that does not."""
    cookies, headers = signed_in(role)
    failures = []
    for operation in _operations(app, client):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @FUZZ_SETTINGS
            def run(case):
                _real_ids(case, seeded)
                # The real sign-in, in place of the credentials generated from the security schemes.
                case.cookies = dict(cookies)
                case.headers = {**(case.headers or {}), **headers}
                # A fresh context per request, as in production: its own app context, g and session.
                response = contextvars.Context().run(case.call, app=app)
                case.validate_response(response, checks=CHECKS)
                CASES[role] += 1

            try:
                run()
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE  # nothing to send wrong: no parameter, no body
            except Exception as error:  # every operation is tried; all failures are reported together
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n".join(failures)


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases every run: a CI failure reproduces
    database=None,
)


def test_the_api_answers_an_officer_within_its_schema(app, client, seeded, signed_in):
    _fuzz("officer", app, client, seeded, signed_in)


def test_the_api_answers_a_supervisor_within_its_schema(app, client, seeded, signed_in):
    _fuzz("supervisor", app, client, seeded, signed_in)


def test_zz_report_how_many_cases_were_generated(capsys):
    """Prints the counts (this runs after the two above, in file order) for the CI log."""
    with capsys.disabled():
        print(f"\nSchemathesis cases: {CASES}")
    assert all(count > 0 for count in CASES.values()) or not any(CASES.values())
