"""[PW] The stylesheet's screen rules reach the screen, measured at 1280 px: the bulletin's sections
start on lines of their own inside a page-width column, every paragraph and heading of its body
starts two characters in (空两字), and the exam report's score chart is drawn at a readable size.
(An unclosed `@media print {` once made all of these print-only: the bulletin ran on as one
paragraph and the chart shrank to 199 × 75 px.)"""

import re
from datetime import date

import pytest

from core import clock
from core.extensions import db
from reports import bulletins
from tests.browser.conftest import screenshot, sign_in
from tests.factories import TEST_PASSWORD
from tests.reports.campaign import build_campaign

pytestmark = pytest.mark.browser
WIDE = {"width": 1280, "height": 800}
SECTION_HEADING = re.compile(r"^\s*(\d+\.|[一二三四五六七八九十]+、)\s*\S")

# The box of the first occurrence of `text` inside `scope` (a Range over the text node).
TEXT_BOX = """([scope, text]) => {
  const walker = document.createTreeWalker(document.querySelector(scope), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    const box = range.getClientRects()[0];
    return {x: box.x, y: box.y, height: box.height};
  }
  return null;
}"""


@pytest.fixture
def campaign(world, frozen_clock):
    return build_campaign(world, frozen_clock)


@pytest.fixture
def wide(open_at):
    return open_at(WIDE)


def test_bulletin_sections_start_on_their_own_lines_at_1280(campaign, wide):
    bulletin = bulletins.draft_bulletin(None, campaign["east"], date(2026, 11, 16), clock.now())
    db.session.commit()
    sign_in(wide, campaign["east_supervisor"].username, TEST_PASSWORD)
    headings = [line.strip() for line in bulletin.body.splitlines() if SECTION_HEADING.match(line)]
    assert len(headings) >= 3
    wide.goto(f"/reports/bulletins/{bulletin.id}")
    wide.wait_for_load_state("networkidle")
    screenshot(wide, "layout-bulletin-1280")

    article = wide.locator(".bulletin").bounding_box()
    assert article["width"] <= 52 * 16 + 1, "the bulletin keeps its reading width on a wide screen"
    boxes = [wide.evaluate(TEXT_BOX, [".bulletin", heading]) for heading in headings]
    assert all(boxes), headings
    left = min(box["x"] for box in boxes)
    for heading, box in zip(headings, boxes):
        assert box["x"] - left < 2 * box["height"], f"{heading!r} does not start a line"
    tops = [box["y"] for box in boxes]
    assert tops == sorted(tops) and len(set(tops)) == len(tops), "each section on a line of its own"
    assert wide.watcher.errors == []


# Each paragraph and heading of the bulletin's body: its section, computed first-line indent, font
# size, and where its first character is drawn.
BODY_LINES = """() => [...document.querySelectorAll('.bulletin-body :is(p, h3, h4)')].map(el => {
  const text = [...el.childNodes].find(node => node.nodeType === Node.TEXT_NODE && node.data.trim());
  const range = document.createRange();
  const at = text.data.search(/\\S/);
  range.setStart(text, at);
  range.setEnd(text, at + 1);
  const style = getComputedStyle(el);
  const section = el.closest('.bulletin-section');
  return {
    tag: el.tagName, cls: el.className, text: el.textContent.trim().slice(0, 12),
    section: section ? section.querySelector('h3').textContent.trim().split('、')[0] : '',
    indent: parseFloat(style.textIndent), size: parseFloat(style.fontSize), x: range.getClientRects()[0].x,
  };
})"""


def test_bulletin_paragraphs_are_indented_alike_in_every_section_at_1280(campaign, wide):
    bulletin = bulletins.draft_bulletin(None, campaign["east"], date(2026, 11, 16), clock.now())
    db.session.commit()
    sign_in(wide, campaign["east_supervisor"].username, TEST_PASSWORD)
    wide.goto(f"/reports/bulletins/{bulletin.id}")
    wide.wait_for_load_state("networkidle")

    lines = wide.evaluate(BODY_LINES)
    body = [line for line in lines if line["cls"] not in ("bulletin-addressees", "bulletin-signature")]
    paragraphs = [line for line in body if line["tag"] == "P"]
    assert {"", "一", "二", "四", "五"} <= {line["section"] for line in paragraphs}, paragraphs
    for line in paragraphs:
        assert line["indent"] == 2 * line["size"], f"{line['text']!r} (section {line['section']}) is not indented 2 字"
    # Paragraphs and headings alike start at one x, whatever their section and font size.
    left = min(line["x"] for line in body)
    for line in body:
        inset = line["x"] - left
        assert inset < 0.5, f"{line['text']!r} (section {line['section']}) starts {inset:.1f} px further in"
    assert wide.watcher.errors == []


def test_exam_report_chart_is_readable_at_1280(campaign, wide):
    sign_in(wide, campaign["east_supervisor"].username, TEST_PASSWORD)
    wide.goto(f"/reports/exams/{campaign['e1'].id}")
    wide.wait_for_load_state("networkidle")
    screenshot(wide, "layout-exam-report-1280")

    chart = wide.locator(".chart svg").first.bounding_box()
    assert chart["width"] >= 400 and chart["height"] >= 150, chart
    label = wide.locator(".chart svg text.tick").last.bounding_box()
    assert label["height"] >= 11, f"chart labels {label['height']:.0f} px high"
    # The by-unit table's eight columns all show: none cut off inside a scrolling card.
    by_unit = wide.locator("section.card", has_text="按单位").locator(".table-wrap")
    assert by_unit.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth"), "the by-unit table scrolls at 1280 px"
    assert wide.watcher.errors == []
