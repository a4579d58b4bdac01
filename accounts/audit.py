"""Audit log: who did what to which target, when (UTC), from where. Also written to the log."""

import json
import logging
from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from core import clock
from core.extensions import db

log = logging.getLogger("yingzhi.audit")


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    actor_unit_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    target_type: Mapped[str | None] = mapped_column(sa.String(40))
    target_id: Mapped[str | None] = mapped_column(sa.String(80))
    detail: Mapped[dict | None] = mapped_column(sa.JSON)
    ip: Mapped[str | None] = mapped_column(sa.String(45))

    actor: Mapped[User | None] = relationship(lazy="joined")


def record(action: str, *, actor=None, target=None, target_type=None, target_id=None, detail=None, ip=None):
    """Add an audit event to the current transaction and write it to the log.

    `target` may be a model instance (its table and id are taken) or given as target_type/target_id.
    `ip`: where from; by default the client address of the request being served (behind nginx,
    ProxyFix's), none for CLI commands and jobs. Services call this without reading the request
    themselves. The log line is JSON, so newlines in user-supplied text arrive escaped.
    """
    if ip is None and has_request_context():
        ip = request.remote_addr
    if target is not None:
        target_type = target_type or target.__tablename__
        target_id = target_id if target_id is not None else target.id
    event = AuditEvent(
        at=clock.now(),
        actor_id=actor.id if actor is not None else None,
        actor_unit_id=actor.unit_id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        detail=detail,
        ip=ip,
    )
    db.session.add(event)
    log.info(
        json.dumps(
            {
                "at": event.at.isoformat(),
                "actor": event.actor_id,
                "unit": event.actor_unit_id,
                "action": action,
                "target": f"{target_type}:{event.target_id}" if target_type else None,
                "detail": detail,
                "ip": ip,
            },
            ensure_ascii=False,
            default=str,
        )
    )
    return event
