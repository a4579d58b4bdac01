"""O1: migrations build the schema on an empty database and match the models."""

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory

from core.extensions import db


def test_upgrade_reached_head_and_models_match(app):
    """The run's database was built by `db upgrade`; autogenerate finds nothing to add."""
    with db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    config = app.extensions["migrate"].migrate.get_config()
    assert current == ScriptDirectory.from_config(config).get_current_head()
    command.check(config)  # raises if the models differ from the migrated schema


def test_a_constrained_column_can_be_altered_on_sqlite_in_batch_mode(tmp_path):
    """Batch mode recreates the table, so even constraint changes work on SQLite."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'batch.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, name VARCHAR(10) NOT NULL, parent_id INTEGER,"
            " CONSTRAINT fk_child_parent FOREIGN KEY(parent_id) REFERENCES parent (id),"
            " CONSTRAINT uq_child_name UNIQUE (name))"
        )
        conn.exec_driver_sql("INSERT INTO child (id, name) VALUES (1, 'a')")
        operations = Operations(MigrationContext.configure(conn))
        with operations.batch_alter_table("child") as batch:
            batch.alter_column("name", type_=sa.String(40), existing_type=sa.String(10), nullable=True)
            batch.drop_constraint("uq_child_name", type_="unique")
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("child")}
        assert columns["name"]["nullable"] is True
        assert conn.exec_driver_sql("SELECT name FROM child").scalar() == "a"


@pytest.mark.parametrize("table", ["users", "units", "login_sessions", "audit_events", "notices"])
def test_tables_exist(app, table):
    assert table in sa.inspect(db.engine).get_table_names()
