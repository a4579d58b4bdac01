"""Every stylesheet and script under static/ parses: an unclosed block fails here, not in a browser.

CSS parsers recover from errors as the CSS Syntax spec asks, and closing an unclosed block at the
end of the file is one such recovery, silent in tinycss2 as in browsers: `@media print {` left
open once made every later rule print-only. So the check tokenises with tinycss2 (strings,
comments and url() are read as CSS reads them), fails on any token error, and then checks that
the blocks running to the end of the file are really closed there. The scripts parse with
esprima (ES2017: the pages are written for the older WebViews officers' phones still run).
"""

import re
from pathlib import Path

import esprima
import pytest
import tinycss2

STATIC = Path(__file__).resolve().parent.parent / "static"
CLOSERS = {"{} block": "}", "() block": ")", "[] block": "]", "function": ")"}
TRAILING_SPACE_OR_COMMENT = re.compile(r"(\s+|/\*.*?\*/)+\Z", re.S)


def _meaningful(tokens):
    return [t for t in tokens if t.type not in ("whitespace", "comment")]


def _errors(tokens, found):
    for token in tokens:
        if token.type == "error":
            found.append(f"line {token.source_line}: {token.message}")
        inner = getattr(token, "arguments", None) if token.type == "function" else getattr(token, "content", None)
        if inner:
            _errors(inner, found)
    return found


def css_problems(text: str) -> list[str]:
    """What is wrong with a stylesheet's syntax: token errors, and blocks left unclosed."""
    tokens = tinycss2.parse_component_value_list(text)
    problems = _errors(tokens, [])
    # Only blocks that run to the end of the file can be unclosed: a block followed by anything
    # in its parent was closed before it. Walk down the chain of last components...
    chain, level = [], tokens
    while level:
        last = _meaningful(level)[-1:] or [None]
        token = last[0]
        if token is None or token.type not in CLOSERS:
            break
        chain.append(token)
        level = token.arguments if token.type == "function" else token.content
    # ...and check the file ends with their closing characters, innermost first: when some are
    # missing, the closers present belong to the innermost blocks, so the outer ones are open.
    closing, rest = [], text
    while True:
        rest = TRAILING_SPACE_OR_COMMENT.sub("", rest)
        if not rest or rest[-1] not in "})]":
            break
        closing.insert(0, rest[-1])
        rest = rest[:-1]
    for depth, token in enumerate(reversed(chain)):
        if depth >= len(closing) or closing[depth] != CLOSERS[token.type]:
            opened = f"{token.lower_name}(" if token.type == "function" else token.type[0]
            problems.append(f"line {token.source_line}: '{opened}' is never closed")
            break
    return problems


def js_problems(text: str) -> list[str]:
    try:
        esprima.parseScript(text, {"tolerant": False})
    except esprima.Error as error:
        return [str(error)]
    return []


def _files(pattern):
    return sorted(STATIC.rglob(pattern))


@pytest.mark.parametrize("path", _files("*.css"), ids=lambda p: str(p.relative_to(STATIC)))
def test_stylesheet_parses_and_closes_every_block(path):
    assert css_problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", _files("*.js"), ids=lambda p: str(p.relative_to(STATIC)))
def test_script_parses(path):
    assert js_problems(path.read_text(encoding="utf-8")) == []


def test_there_are_files_to_check():
    assert _files("*.css") and _files("*.js")


@pytest.mark.parametrize(
    "css, problem",
    [
        ("a { color: red; }\n@media print {\n  .x { display: none; }\n.y { color: red; }", "line 2: '{' is never"),
        ("a { color: red; ", "line 1: '{' is never closed"),
        ("@media print { a { color: red; }\n", "line 1: '{' is never closed"),
        ("a { width: calc(100% - 2px; }", "line 1: 'calc(' is never closed"),
        ('a { content: "}" ', "line 1: '{' is never closed"),
        ("a { color: red; } }", "line 1: Unmatched }"),
        ('a { content: "unterminated\n}', "line 1: Bad string token"),
    ],
)
def test_the_check_catches_unclosed_and_unmatched_blocks(css, problem):
    assert any(p.lower().startswith(problem.lower()) for p in css_problems(css)), css_problems(css)


@pytest.mark.parametrize(
    "css",
    [
        "a { color: red }",
        "@media print { a { color: red; } }  /* done } */\n",
        'a::after { content: "}" } @import url("x.css");',
        "a { width: calc(100% - 2px) }",
    ],
)
def test_the_check_accepts_closed_blocks(css):
    assert css_problems(css) == []


def test_the_script_check_catches_a_missing_brace():
    assert js_problems("function f() { if (x) { return 1; }\n")
