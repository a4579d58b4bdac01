"""Who may manage the question bank: administrators always, supervisors only while the admin
setting BANK_SUPERVISORS_MAY_EDIT is on. The bank is city-wide: questions belong to no unit."""

from functools import wraps

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.access import supervisor_required
from accounts.models import Role
from core.errors import PermissionDenied
from core.settings import get_setting


def may_manage_bank(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.SUPERVISOR and bool(get_setting("BANK_SUPERVISORS_MAY_EDIT"))


def ensure_may_manage_bank(user) -> None:
    """Raise PermissionDenied unless `user` may manage the question bank now."""
    if not may_manage_bank(user):
        raise PermissionDenied(_l("Only administrators manage the question bank (unless they allow supervisors)."))


def bank_manager_required(view):
    """supervisor_required, plus the bank setting: a supervisor is refused while it is off."""

    @wraps(view)
    def checked(*args, **kwargs):
        ensure_may_manage_bank(current_user)
        return view(*args, **kwargs)

    return supervisor_required(checked)
