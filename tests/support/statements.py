"""Record the SQL an engine runs, for tests of what a request does (and holds a lock for)."""

from sqlalchemy import event


class StatementLog:
    """Every statement the app's engine runs while the block is open (BEGINs included)."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def _record(self, _conn, _cursor, statement, *_args):
        self.statements.append(" ".join(statement.split()))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def under_write_lock(self) -> list[list[str]]:
        """The statements of each transaction that began IMMEDIATE, up to the next BEGIN."""
        groups, current = [], None
        for statement in self.statements:
            if statement.startswith("BEGIN"):
                current = [] if statement == "BEGIN IMMEDIATE" else None
                if current is not None:
                    groups.append(current)
            elif current is not None:
                current.append(statement)
        return groups
