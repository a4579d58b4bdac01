"""quiz: a partial index of the outstanding assignments (flagged, not cleared) by closing time

Revision ID: e7a3c91b5d20
Revises: d1e5a7c0b2f3
Create Date: 2026-12-03 12:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a3c91b5d20'
down_revision = 'd1e5a7c0b2f3'
branch_labels = None
depends_on = None

# As SQLAlchemy writes the outstanding list's condition on each database (the planner uses a
# partial index only for a query whose WHERE says the same).
POSTGRESQL_WHERE = sa.text("flagged AND cleared_at IS NULL")
SQLITE_WHERE = sa.text("flagged = 1 AND cleared_at IS NULL")


def upgrade():
    op.create_index(
        'ix_exam_assignments_outstanding', 'exam_assignments', ['closed_at'],
        postgresql_where=POSTGRESQL_WHERE, sqlite_where=SQLITE_WHERE,
    )


def downgrade():
    op.drop_index('ix_exam_assignments_outstanding', table_name='exam_assignments')
