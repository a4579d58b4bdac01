"""The canonical form of answers, shared by the editor, the importer and the grader.

Canonical answers (JSON) by question type:
    single      "B"                      one option letter
    multiple    ["A", "C"]               two or more letters, sorted
    true_false  true | false
    fill        [["中国共产党", "党"], ["人民"]]   one list per blank, each the accepted alternatives

Options are a list of texts; option i is labelled LETTERS[i] (2 to 8 options, A to H).
"""

import hashlib
import re
import unicodedata

from flask_babel import lazy_gettext as _l

from core.errors import ValidationFailed
from question_bank.models import QuestionType

LETTERS = "ABCDEFGH"
SPACES = re.compile(r"\s+")
NOT_WORD = re.compile(r"[\W_]+")
MIN_OPTIONS, MAX_OPTIONS = 2, 8


def fold_text(text) -> str:
    """Compare-friendly text: NFKC (full-width to half-width), case folded, inner spaces collapsed."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return SPACES.sub(" ", text).strip().casefold()


def dedupe_key(qtype: QuestionType, stem: str) -> str:
    """Same type and same stem after folding and dropping punctuation and spaces: a duplicate."""
    folded = NOT_WORD.sub("", fold_text(stem))
    return hashlib.sha256(f"{qtype.value}:{folded}".encode()).hexdigest()


def validate(qtype: QuestionType, stem: str, options: list, answer) -> None:
    """Raise ValidationFailed unless stem, options and the canonical answer fit the type."""
    if not (stem or "").strip():
        raise ValidationFailed(_l("The question text is missing."), field="stem")
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise ValidationFailed(_l("A choice question needs 2 to 8 options."), field="options")
        if any(not str(o or "").strip() for o in options):
            raise ValidationFailed(_l("An option is empty."), field="options")
        letters = LETTERS[: len(options)]
        chosen = [answer] if qtype == QuestionType.SINGLE else answer
        if qtype == QuestionType.SINGLE and not (isinstance(answer, str) and len(answer) == 1):
            raise ValidationFailed(_l("A single-choice question has exactly one answer letter."), field="answer")
        if qtype == QuestionType.MULTIPLE and not (isinstance(answer, list) and len(answer) >= 2):
            raise ValidationFailed(_l("A multiple-choice question has two or more answer letters."), field="answer")
        if any(letter not in letters for letter in chosen):
            raise ValidationFailed(_l("The answer is not among the options."), field="answer")
    elif qtype == QuestionType.TRUE_FALSE:
        if options:
            raise ValidationFailed(_l("A true-or-false question has no options."), field="options")
        if not isinstance(answer, bool):
            raise ValidationFailed(_l("A true-or-false answer is true or false."), field="answer")
    elif qtype == QuestionType.FILL:
        if not (isinstance(answer, list) and answer and all(isinstance(b, list) and b for b in answer)):
            raise ValidationFailed(_l("A fill-in question needs an accepted answer for every blank."), field="answer")
        if any(not fold_text(alt) for blank in answer for alt in blank):
            raise ValidationFailed(_l("An accepted answer is empty."), field="answer")


def answer_text(qtype: QuestionType, answer) -> str:
    """The answer as people write it: 'B', 'AC', '对'/'错', '中国共产党/党；人民'."""
    if qtype == QuestionType.SINGLE:
        return answer
    if qtype == QuestionType.MULTIPLE:
        return "".join(answer)
    if qtype == QuestionType.TRUE_FALSE:
        return "对" if answer else "错"
    return "；".join("/".join(blank) for blank in answer)
