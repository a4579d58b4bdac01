"""Render deploy/nginx.conf.template: `python deploy/nginx.py --listen 0.0.0.0:80 --prefix /srv/nginx
--upstream 10.0.0.11:8000 --upstream 10.0.0.12:8000 > /srv/nginx/nginx.conf`. bin/prod-up and the
load benchmark (bench/servers.py) both render it here, so the bench runs the production file."""

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"


def render(*, listen: str, upstreams: list[str], prefix: str, static_root: str | None = None) -> str:
    """Fill the template's placeholders; `prefix` holds nginx's pid, logs and temp files."""
    if not upstreams:
        raise ValueError("at least one app server is needed")
    servers = "\n".join(f"        server {address} max_fails=0;" for address in upstreams)
    return (
        TEMPLATE.read_text()
        .replace("{{LISTEN}}", listen)
        .replace("{{UPSTREAM_SERVERS}}", servers)
        .replace("{{PREFIX}}", prefix)
        .replace("{{STATIC_ROOT}}", static_root or str(ROOT / "static"))
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", default="127.0.0.1:8080")
    parser.add_argument("--upstream", action="append", required=True, help="host:port of an app server")
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--static-root")
    args = parser.parse_args()
    print(render(listen=args.listen, upstreams=args.upstream, prefix=args.prefix, static_root=args.static_root))


if __name__ == "__main__":
    main()
