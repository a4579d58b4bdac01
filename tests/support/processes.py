"""Reading a running process from /proc, for tests of how servers are started."""

from pathlib import Path


def nice_of(pid: int) -> int:
    """The nice value of a process: field 19 of /proc/PID/stat, counted after "(command)"."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[16])


def children_of(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
