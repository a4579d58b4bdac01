"""The people list as a spreadsheet sheet (core.exporting), with the columns of its page."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from core.exporting import Column, Sheet


def person_status(person) -> str:
    """The status the people page shows."""
    if not person.active:
        return _("Deactivated")
    if person.must_change_password:
        return _("Not signed in yet")
    return _("Active")


def people_sheet(people, unit_labels: dict) -> Sheet:
    columns = (
        Column(_l("Number"), lambda p: p.username),
        Column(_l("Name"), lambda p: p.full_name),
        Column(_l("Unit"), lambda p: unit_labels.get(p.unit_id, p.unit.name)),
        Column(_l("Role"), lambda p: p.role),
        Column(_l("Status"), person_status),
    )
    return Sheet(lazy_pgettext("menu", "People"), columns, people)
