"""Tools some tests need beyond Python, and what a machine without them leaves untested. A test
that skips for want of one gives MISSING[tool] as its reason; the run ends with a list of them
(tests/conftest.py), so a skip is never silent."""

MISSING = {
    "nginx": "nginx is not installed (apt-get install -y nginx): the production layout behind nginx is not tested",
    "wrk": "wrk is not installed (apt-get install -y wrk): the load bench's wrk script is not tested",
    "chromium": (
        "Debian's chromium is not installed (apt-get install -y chromium fonts-noto-cjk): "
        "the browser flows are not tested"
    ),
}
