"""Deployment settings that admins can change at run time, falling back to config.py defaults.

A feature declares its editable settings as SettingSpec tuples next to its code; app.py lists
them all explicitly, and the settings page edits exactly those.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, g, has_app_context
from flask_babel import gettext
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.errors import ValidationFailed
from core.extensions import db


class Setting(db.Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    value: Mapped[dict] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int | None]


@dataclass(frozen=True)
class SettingSpec:
    """One editable setting: its config key (which holds the default), type and bounds."""

    key: str
    label: object
    kind: type = int
    minimum: int | None = None
    maximum: int | None = None
    help: object = ""
    choices: tuple = field(default_factory=tuple)

    @property
    def input_type(self) -> str:
        if self.kind is bool:
            return "checkbox"
        if self.choices:
            return "select"
        return "number" if self.kind is int else "text"

    def parse(self, raw):
        if self.kind is bool:
            return raw in (True, "1", "true", "on", "y", "yes")
        if self.kind is int:
            try:
                value = int(str(raw).strip())
            except ValueError:
                raise ValidationFailed(_invalid_number(self), field=self.key) from None
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise ValidationFailed(_out_of_range(self), field=self.key)
            return value
        value = str(raw).strip()
        if self.choices and value not in [c[0] for c in self.choices]:
            raise ValidationFailed(_out_of_range(self), field=self.key)
        return value


def _invalid_number(spec):
    return gettext("%(label)s must be a whole number.", label=spec.label)


def _out_of_range(spec):
    return gettext(
        "%(label)s must be between %(min)s and %(max)s.", label=spec.label, min=spec.minimum, max=spec.maximum
    )


def _overrides() -> dict:
    # One query per request (or app context) at most, however many settings are read.
    cache = g.get("_settings_cache") if has_app_context() else None
    if cache is None:
        cache = {row.key: row.value["v"] for row in db.session.scalars(sa.select(Setting))}
        if has_app_context():
            g._settings_cache = cache
    return cache


def get_setting(key: str):
    """The admin's value for `key` if set, else app.config[key]."""
    overrides = _overrides()
    if key in overrides:
        return overrides[key]
    return current_app.config[key]


def set_setting(spec: SettingSpec, raw, actor_id: int | None):
    """Validate and store one setting; the caller commits."""
    value = spec.parse(raw)
    row = db.session.get(Setting, spec.key)
    if row is None:
        row = Setting(key=spec.key, value={"v": value}, updated_at=clock.now(), updated_by_id=actor_id)
        db.session.add(row)
    else:
        row.value = {"v": value}
        row.updated_at = clock.now()
        row.updated_by_id = actor_id
    g.pop("_settings_cache", None)
    return value
