"""The route fuzzer (issue 15): Hypothesis sends generated paths, query strings and form bodies to
every HTML route, signed in as an admin, a supervisor and an officer, on the access tests' seeded
east district. Nothing may answer 5xx (in tests an unhandled exception fails the test with its
traceback, so a 500 cannot hide).

Every route gets its own requests (each of its methods): paths fill the route's arguments with
real ids, small and huge numbers and odd text; query strings and forms use the names that route's
view reads (the string literals of its source and the fields of the forms it builds), common
ones and random ones, with values from real ids and edge dates to control characters and 64-bit
numbers. YINGZHI_FUZZ_EXAMPLES scales it (default 15: 7 requests per route and role); the long
run is `YINGZHI_FUZZ_EXAMPLES=500 bin/test tests/test_route_fuzz.py`.
"""

import importlib
import inspect
import os
import re
from urllib.parse import quote, urlencode

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import id_providers

PER_ROUTE = max(3, int(os.environ.get("YINGZHI_FUZZ_EXAMPLES", "15")) // 2)
REQUESTS = {"admin": 0, "east_supervisor": 0, "east_officer": 0}
# Routes that end the fuzzing client's own sign-in.
SKIPPED = {"static", "auth.logout", "auth.login", "auth.change_password"}
FORM_MODULES = (
    "accounts.forms",
    "question_bank.forms",
    "quiz.forms",
    "study.forms",
    "reports.forms",
    "appraisal.forms",
)
PRINTABLE = st.characters(exclude_categories=("Cc", "Cs"))
# Query names most views read: drawn often, so each route meets its own arguments.
COMMON = [
    "unit", "from", "to", "day", "month", "page", "q", "category", "period", "after", "week", "status", "type",
    "who", "action", "include_inactive", "role", "t", "n", "i", "seed", "count",
]  # fmt: skip


def form_fields() -> dict[str, list[str]]:
    """Form class name → its field names, for every form the app declares."""
    forms = {}
    for module in FORM_MODULES:
        for name, value in vars(importlib.import_module(module)).items():
            if isinstance(value, type) and issubclass(value, FlaskForm) and value is not FlaskForm:
                forms[name] = [field for field in dir(value) if hasattr(getattr(value, field), "field_class")]
    return forms


def _values(ids):
    real = sorted({str(v) for v in ids.values() if isinstance(v, int)})
    return st.one_of(
        st.sampled_from(["", "0", "1", "-1", "on", "y", "2026-11-23", "2026-W48", "2026-11", "approve", "reject"]),
        st.sampled_from(["9999-12-31", "0001-01-01", "9999-12", "0001-01", "2026-13-01", "2026-02-30", "1900-01-01"]),
        st.sampled_from([str(2**31), str(2**63), str(2**64), "4611686018427387904", "-2147483649", "1e400"]),
        st.sampled_from(real),
        st.integers(-(2**70), 2**70).map(str),
        st.text(PRINTABLE, max_size=30),
        st.sampled_from(["\x00", "a\x1bb", "\x7f", "\r\n\t", "\ufffd", "\U0001f600"]),  # refused or kept, never a 500
        st.text(alphabet="0123456789.-eE+ ", max_size=25),
    )


def _argument(name, ids):
    if name == "day":
        return st.sampled_from(["2026-11-23", "2026-02-30", "0000-00-00", "99999-01-01", "x"])
    if name == "job_name":
        return st.sampled_from(["housekeeping", "refresh_reports", "no-such-job", "x" * 300])
    return st.one_of(
        st.just(ids.get(name, 1)),
        st.integers(0, 50),
        st.integers(2**62, 2**80),
        st.sampled_from(["1.5", "-1", "٣", "1e3", "0x10"]),
    )


def names_read_by(view, forms) -> list[str]:
    """The argument and field names a view reads: the short string literals of its source (its
    request.args.get("unit"), id_arg("category")…) and the fields of the forms it builds."""
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    source = inspect.getsource(view)
    names = set(re.findall(r"[\"']([a-z][a-z_]{0,19})[\"']", source))
    for form_name, fields in forms.items():
        if re.search(rf"\b{form_name}\(", source):
            names.update(fields)
    return sorted(names) or ["q"]


@st.composite
def html_requests(draw, rule, methods, ids, names):
    values = {name: draw(_argument(name, ids)) for name in rule.arguments}
    path = rule.rule
    for name, value in values.items():
        converter = next(part for part in rule.rule.split("<")[1:] if part.split(">")[0].split(":")[-1] == name)
        path = path.replace("<" + converter.split(">")[0] + ">", quote(str(value), safe=""))
    own = st.dictionaries(st.sampled_from(names), _values(ids), max_size=5).map(lambda d: list(d.items()))
    common = st.dictionaries(st.sampled_from(COMMON), _values(ids), max_size=2).map(lambda d: list(d.items()))
    noise = st.lists(st.tuples(st.text(PRINTABLE, max_size=10), _values(ids)), max_size=2)
    method = draw(st.sampled_from(methods))
    query = draw(own) + draw(common) + draw(noise)
    form = (draw(own) + draw(noise)) if method != "GET" else []
    return method, path + ("?" + urlencode(query) if query else ""), form


@pytest.mark.parametrize("role", list(REQUESTS))
def test_no_html_route_answers_a_server_error_to_generated_input(app, world, login_as, frozen_clock, role):
    """PER_ROUTE generated requests to every HTML route (each method), as `role`."""
    ids = id_providers.east_ids(world)
    client = login_as(world[role])
    forms = form_fields()
    rules = sorted(
        (r for r in app.url_map.iter_rules() if not r.rule.startswith("/api/") and r.endpoint not in SKIPPED),
        key=lambda r: r.rule,
    )
    failures = []
    for rule in rules:
        names = names_read_by(app.view_functions[rule.endpoint], forms)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})

        @given(request=html_requests(rule, methods, ids, names))
        @settings(
            max_examples=PER_ROUTE,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,  # the same requests every run: a CI failure reproduces
            database=None,
        )
        def run(request):
            method, url, form = request
            data = {}
            for key, value in form:
                data.setdefault(key, []).append(value)
            response = client.open(url, method=method, data=data if method != "GET" else None)
            assert response.status_code < 500, (method, url, form, response.status_code)
            REQUESTS[role] += 1

        try:
            run()
        except Exception as error:  # every route is tried; all failures are reported together
            failures.append(f"{rule.endpoint}: {type(error).__name__}: {str(error)[:300]}")
    assert not failures, "\n".join(failures)
    assert REQUESTS[role] >= len(rules)


def test_zz_report_how_many_requests_were_sent(capsys):
    """Prints the counts (this runs after the test above, in file order) for the CI log."""
    with capsys.disabled():
        print(f"\nRoute fuzzer requests: {REQUESTS}")
    assert all(count > 0 for count in REQUESTS.values()) or not any(REQUESTS.values())
