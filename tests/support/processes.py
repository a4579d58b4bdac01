"""Reading a running process from /proc, for tests of how servers are started."""

from pathlib import Path


def nice_of(pid: int) -> int:
    """The nice value of a process: field 19 of /proc/PID/stat, counted after "(command)"."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[16])


def children_of(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def session_of(pid: int) -> int | None:
    """The session id of a process (field 6 of /proc/PID/stat), or None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(stat[stat.rindex(")") + 2 :].split()[3])


def session_members(session: int) -> list[int]:
    """The live processes of a session (a process started with start_new_session=True leads one)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and session_of(int(entry.name)) == session:
            state = (entry / "stat").read_text().rsplit(")", 1)[-1].split()[0]
            if state != "Z":  # a zombie has exited; only its parent has not reaped it yet
                members.append(int(entry.name))
    return members
