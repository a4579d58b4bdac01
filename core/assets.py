"""Versioned static URLs: a content hash in the query string, so static files cache for a year."""

import hashlib
import os

from flask import current_app, url_for

_hashes: dict[str, str] = {}


def asset_url(filename: str) -> str:
    """URL of a static file with its content hash, computed once per process."""
    version = _hashes.get(filename)
    if version is None:
        path = os.path.join(current_app.static_folder, filename)
        with open(path, "rb") as fh:
            version = hashlib.sha256(fh.read()).hexdigest()[:12]
        if not current_app.debug:
            _hashes[filename] = version
    return url_for("static", filename=filename, v=version)


def init_assets(app):
    app.jinja_env.globals["asset_url"] = asset_url
