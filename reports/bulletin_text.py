"""The bulletin's text: plain text a supervisor edits, which the page and the 公文 both read as one
structure. A line `一、…` opens a section and `（一）…` a subsection (their numbers are written
again in order, so a deleted section leaves no gap); consecutive lines holding `｜` form a table,
the first of them its header; any other line is a paragraph; lines before the first section open
the bulletin (导语). The English forms `1. …` and `(1) …` are read as headings too."""

import re
from dataclasses import dataclass, field

from reports.gongwen import Section, Subsection, Table, chinese_number

SEP = "｜"  # full width: never in a name, and it reads as a column rule in the text box
SECTION = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+\.\s)\s*(?P<heading>\S.*)$")
SUBSECTION = re.compile(r"^(?:（[一二三四五六七八九十]+）|\(\d+\)\s?)\s*(?P<heading>\S.*)$")


def section_line(number: int, heading: str) -> str:
    return f"{chinese_number(number)}、{heading}"


def subsection_line(number: int, heading: str) -> str:
    return f"（{chinese_number(number)}）{heading}"


def table_lines(header, rows) -> list[str]:
    """The table as lines of cells between ｜ (a ｜ inside a cell becomes a half-width |)."""
    return [SEP.join(str(cell).replace(SEP, "|") for cell in row) for row in [header, *rows]]


@dataclass
class BulletinText:
    opening: list[str] = field(default_factory=list)  # paragraphs (and tables) before 一、
    sections: list[Section] = field(default_factory=list)


def parse(text: str) -> BulletinText:
    """The structure of a bulletin's text (see the module's docstring); never fails."""
    parsed = BulletinText()
    blocks = parsed.opening  # where the next paragraph or table goes
    section_blocks = None
    table = None
    for raw in (text or "").splitlines():
        line = raw.strip()
        if SEP in line:
            cells = [cell.strip() for cell in line.split(SEP)]
            if table is None:
                table = Table(header=cells, rows=[])
                blocks.append(table)
            else:
                table.rows.append(_fit(cells, len(table.header)))
            continue
        table = None
        if not line:
            continue
        if match := SECTION.match(line):
            section = Section(match["heading"], [])
            parsed.sections.append(section)
            blocks = section_blocks = section.blocks
        elif section_blocks is not None and (match := SUBSECTION.match(line)):
            subsection = Subsection(match["heading"], [])
            section_blocks.append(subsection)
            blocks = subsection.blocks
        else:
            blocks.append(line)
    return parsed


def _fit(cells: list[str], width: int) -> list[str]:
    """A row of an edited table made as wide as its header (short rows padded, long ones joined)."""
    if len(cells) > width:
        cells = cells[: width - 1] + [SEP.join(cells[width - 1 :])]
    return cells + [""] * (width - len(cells))
