"""Import profiles: a mapping (question_bank.import_mapping) saved under a name, for the page and
the CLI. Services flush, never commit."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import NotFound, ValidationFailed
from core.extensions import db
from question_bank.import_mapping import Mapping, check_columns
from question_bank.models import ImportProfile


def list_profiles() -> list[ImportProfile]:
    return list(db.session.scalars(sa.select(ImportProfile).order_by(ImportProfile.name)))


def get_profile(name: str) -> ImportProfile:
    """The profile called `name`, or NotFound naming the ones there are."""
    profile = db.session.scalar(sa.select(ImportProfile).where(ImportProfile.name == (name or "").strip()))
    if profile is None:
        names = "、".join(p.name for p in list_profiles()) or "—"
        raise NotFound(_l("There is no import profile '%(name)s' (profiles: %(names)s).", name=name, names=names))
    return profile


def profile_mapping(profile: ImportProfile | None) -> Mapping:
    return Mapping.from_json(profile.mapping if profile else None)


def save_profile(actor, name: str, mapping: Mapping, now) -> ImportProfile:
    """Create the profile `name`, or replace its mapping if it exists (the admin saves again)."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationFailed(_l("A profile needs a name of at most 80 characters."), field="profile_name")
    check_columns(mapping.columns)
    profile = db.session.scalar(sa.select(ImportProfile).where(ImportProfile.name == name))
    if profile is None:
        profile = ImportProfile(
            name=name, created_by_id=actor.id if actor is not None else None, created_at=now, mapping={}
        )
        db.session.add(profile)
    profile.mapping = mapping.to_json()
    profile.updated_at = now
    db.session.flush()
    return profile
