"""The supervisor workbench's panel: last week's figures of their unit and drafts to review."""

from datetime import timedelta

import sqlalchemy as sa

from accounts.models import Role, Unit, User
from core import clock
from core.extensions import db
from reports.board import build_board, figure_values
from reports.models import Bulletin, BulletinStatus


def manager_panel(user: User, now) -> dict:
    unit = user.unit
    if user.role == Role.ADMIN:
        unit = db.session.scalars(sa.select(Unit).order_by(Unit.depth, Unit.sort_order, Unit.id)).first() or unit
    monday = clock.week_start(clock.local(now).date()) - timedelta(days=7)
    board = build_board(unit, monday, monday)
    drafts = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Bulletin)
        .join(Unit, Unit.id == Bulletin.unit_id)
        .where(Bulletin.status == BulletinStatus.DRAFT, Unit.path.startswith(user.unit.path))
    )
    return {
        "template": "reports/_home_manager.html",
        "reports": {
            "unit": unit,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "total": figure_values(board.total),
            "drafts": drafts,
        },
    }
