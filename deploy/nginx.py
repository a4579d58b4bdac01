"""Render deploy/nginx.conf.template: `python deploy/nginx.py --listen 0.0.0.0:80 --prefix /srv/nginx
--upstream 10.0.0.11:8000 --upstream 10.0.0.12:8000 --reports-upstream 10.0.0.11:8100
> /srv/nginx/nginx.conf` (report servers are optional; without them the app servers serve reports). bin/prod-up and the
load benchmark (bench/servers.py) both render it here, so the bench runs the production file."""

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"


REPORT_RATE = "1r/s"
# A session's report requests beyond the pace: the first REPORT_UNDELAYED go at once (a board and
# a few drill-downs clicked quickly), up to REPORT_BURST wait their turn, more are refused (429).
REPORT_UNDELAYED = 4
REPORT_BURST = 20


def _pacing_zone(rate: str | None) -> str:
    if rate is None:
        return ""
    return (
        f"    limit_req_zone $cookie_yingzhi_session zone=reports_per_session:10m rate={rate};\n"
        "    limit_req_status 429;"
    )


def _pacing(rate: str | None, refused: str) -> str:
    """The pace of one report location; a request refused past the burst is answered by the
    named location `refused` (the template's @reports_paced_page or @reports_paced_json)."""
    if rate is None:
        return ""
    return (
        f"            limit_req zone=reports_per_session burst={REPORT_BURST} delay={REPORT_UNDELAYED};\n"
        f"            error_page 429 = {refused};\n"
    )


def _servers(addresses: list[str]) -> str:
    return "\n".join(f"        server {address} max_fails=0;" for address in addresses)


def render(
    *,
    listen: str,
    upstreams: list[str],
    prefix: str,
    static_root: str | None = None,
    report_upstreams: list[str] | None = None,
    report_rate: str | None = REPORT_RATE,
) -> str:
    """Fill the template's placeholders; `prefix` holds nginx's pid, logs and temp files.
    `report_rate`: each session's pace for report requests past its burst (None: not paced)."""
    if not upstreams:
        raise ValueError("at least one app server is needed")
    return (
        TEMPLATE.read_text()
        .replace("{{LISTEN}}", listen)
        .replace("{{UPSTREAM_SERVERS}}", _servers(upstreams))
        .replace("{{REPORT_SERVERS}}", _servers(report_upstreams or upstreams))
        .replace("{{REPORTS_PACING_ZONE}}", _pacing_zone(report_rate))
        .replace("{{REPORTS_PACING}}", _pacing(report_rate, "@reports_paced_page"))
        .replace("{{API_REPORTS_PACING}}", _pacing(report_rate, "@reports_paced_json"))
        .replace("{{PREFIX}}", prefix)
        .replace("{{STATIC_ROOT}}", static_root or str(ROOT / "static"))
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", default="127.0.0.1:8080")
    parser.add_argument("--upstream", action="append", required=True, help="host:port of an app server")
    parser.add_argument("--reports-upstream", action="append", help="host:port of a report server")
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--static-root")
    parser.add_argument(
        "--report-rate", default=REPORT_RATE, help="each session's pace for report requests, e.g. 2r/s; 'none': unpaced"
    )
    args = parser.parse_args()
    print(
        render(
            listen=args.listen,
            upstreams=args.upstream,
            prefix=args.prefix,
            static_root=args.static_root,
            report_upstreams=args.reports_upstream,
            report_rate=None if args.report_rate == "none" else args.report_rate,
        )
    )


if __name__ == "__main__":
    main()
