"""Flask extensions, created unbound here and initialised in create_app."""

from flask import current_app, has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_qualified_name, get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from core.db import Base
from core.inputs import page_arg


class _SQLAlchemy(SQLAlchemy):
    def paginate(self, select, *, page=None, **kwargs):
        """Flask-SQLAlchemy's paginate, with the page read through core.inputs.page_arg: a page
        number past any real list is a 404, not an offset the database cannot hold."""
        if page is None and has_request_context():
            page = page_arg()
        return super().paginate(select, page=page, **kwargs)


db = _SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# No default limits: only sign-in is limited, and explicitly.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@limiter.request_filter
def _view_declares_no_limits() -> bool:
    """Skip the limiter for views without limits of their own. Without this filter every request
    (an autosave, a page) resolved its limits anew: measured, about 10 % of the CPU of the bench's
    bare request (bench/ceiling_app.py). Sign-in still pays, and is still limited."""
    if current_app.config.get("RATELIMIT_DEFAULT") or current_app.config.get("RATELIMIT_APPLICATION"):
        return False  # limits for every view were configured: check them all
    marked = getattr(limiter, "_marked_for_limiting", None)
    if marked is None:  # a Flask-Limiter without this attribute: do not guess, check everything
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return True
    return get_qualified_name(view) not in marked and not limiter.limit_manager.has_hints(request.endpoint)


talisman = Talisman()
