"""The one edge for request input: ids in paths and query strings, page numbers, text free of
control characters and lone surrogates (forms, query strings and JSON alike), and JSON bodies
parsed strictly and checked against their endpoint's schema before any service sees them.

Every refusal is a ValidationFailed (400) or NotFound (404) with a Chinese message, never a 500.
"""

import json
import math
import re
from datetime import date

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema import validators as jsonschema_validators
from jsonschema.exceptions import best_match
from werkzeug.routing import IntegerConverter
from wtforms import DateField

from core.errors import NotFound, ValidationFailed

MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL (SQLite stores up to 2^63-1)
MAX_PAGE = 100_000
# Days a person may name: far enough for any campaign, near enough that a week or a time zone added
# to them stays a valid date (9999-12-31 plus a day is an OverflowError).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
MAX_JSON_BYTES = 64 * 1024  # the largest body of any JSON write (an autosave is well under 1 KB)

# C0 controls but tab, line feed and carriage return; DEL; UTF-16 surrogates, which only ever
# arrive alone in a Python str (from a JSON "\ud800" escape) and cannot be stored or shown.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


# --- ids --------------------------------------------------------------------------------------


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a positive whole number that fits the database's ids. Anything
    larger does not match the route, so it answers 404 like any id that does not exist."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(value) -> int | None:
    """`value` as an id (an int, or a string of ASCII digits, 1…MAX_ID), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= MAX_ID else None
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def id_list(values, limit: int = 1000) -> list[int]:
    """The ids among `values` (a form's getlist), at most `limit`; anything else is skipped."""
    ids = (parse_id(value) for value in values)
    return [number for number in ids if number is not None][:limit]


def id_arg(name: str, args=None) -> int | None:
    """The id in query argument `name`: None when it is absent or blank, 404 when it is not an id
    (a word, zero, or past the largest id) — the same answer as for an id that does not exist."""
    args = request.args if args is None else args
    value = (args.get(name) or "").strip()
    if not value:
        return None
    number = parse_id(value)
    if number is None:
        raise NotFound(_l("The page or item was not found."))
    return number


def page_arg(args=None) -> int:
    """The `page` query argument of a paginated list: 1 when absent or not a number, 404 past
    MAX_PAGE (an offset the database could not hold)."""
    args = request.args if args is None else args
    value = (args.get("page") or "").strip()
    if not (value.isascii() and value.isdigit()):
        return 1
    if len(value) > 9 or int(value) > MAX_PAGE:
        raise NotFound(_l("The page or item was not found."))
    return max(1, int(value))


# --- days -------------------------------------------------------------------------------------


def parse_day(value) -> date | None:
    """`value` (YYYY-MM-DD) as a date between FIRST_DAY and LAST_DAY, or None."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) <= 10 else None
    except ValueError:
        return None
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None


class DayField(DateField):
    """A form's date, between FIRST_DAY and LAST_DAY (WTForms' DateField takes 9999-12-31)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not FIRST_DAY <= self.data <= LAST_DAY:
            self.data = None
            raise ValueError(str(_l("Choose a day between 1900 and 2199.")))


# --- text ---------------------------------------------------------------------------------------


def refuse_unsafe_text(value: str, field: str) -> None:
    """ValidationFailed unless `value` is storable, showable text: no control characters but tab
    and line breaks, no lone surrogates (half of a broken emoji)."""
    if _UNSAFE_TEXT.search(value):
        raise ValidationFailed(
            _l(
                "%(field)s contains characters that cannot be stored (control characters or broken "
                "Unicode). Remove them and try again.",
                field=field,
            ),
            code="unsafe_text",
            field=field,
        )


def check_request_text() -> None:
    """before_request: every query-string and form key and value (file uploads aside) is safe
    text. Werkzeug decodes bytes that are not UTF-8 to U+FFFD, so only control characters can
    arrive this way; JSON bodies are checked by json_body."""
    for source in (request.args, request.form):
        for key, values in source.lists():
            refuse_unsafe_text(key, key[:40])
            for value in values:
                refuse_unsafe_text(value, key[:40])


# --- JSON bodies --------------------------------------------------------------------------------


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e999 reads as infinity
        raise ValueError(text)
    return number


def _refuse_constant(name: str):
    raise ValueError(name)  # NaN, Infinity, -Infinity: not JSON, though Python's parser takes them


def read_json():
    """The request body as JSON, strictly: at most MAX_JSON_BYTES, finite numbers only, nesting
    no deeper than Python can parse, every string and key safe text."""
    if not request.is_json:
        raise ValidationFailed(_l("The request body must be a JSON object."))
    if (request.content_length or 0) > MAX_JSON_BYTES:
        raise ValidationFailed(_l("The request body is too large."))
    raw = request.get_data(cache=True)
    if len(raw) > MAX_JSON_BYTES:
        raise ValidationFailed(_l("The request body is too large."))
    try:
        data = json.loads(raw, parse_float=_finite, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # RecursionError: a body nested thousands deep
        raise ValidationFailed(_l("The request body is not valid JSON.")) from None
    _check_strings(data, "")
    return data


def _check_strings(value, path: str) -> None:
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            refuse_unsafe_text(item, where or _root())
        elif isinstance(item, dict):
            for key, inner in item.items():
                refuse_unsafe_text(key, _root())
                stack.append((inner, f"{where}.{key}" if where else key))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}[{i}]") for i, inner in enumerate(item))


def _root() -> str:
    return str(_l("The request body"))


def _is_integer(_checker, instance) -> bool:
    # JSON Schema counts 30.0 as an integer; a whole number here is an int, and true is not one.
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator = jsonschema_validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)
_FORMATS = FormatChecker(["date"])


def validator_for(schema: dict):
    return _Validator(schema, format_checker=_FORMATS)


def validate(data, schema: dict):
    """ValidationFailed (with a Chinese message naming the field) unless `data` fits `schema`."""
    error = best_match(validator_for(schema).iter_errors(data))
    if error is not None:
        raise ValidationFailed(schema_message(error), field=_path(error) or None)
    return data


def json_body() -> dict:
    """The JSON body of the current request, checked against the request schema its view
    declares with core.openapi.operation (one schema per endpoint, the one the API document
    shows), holding only the fields the schema names."""
    view = current_app.view_functions[request.endpoint]
    schema = view.openapi["body"]
    data = validate(read_json(), schema)
    # Fields the schema does not name are ignored (a tolerant reader), and never reach a service.
    return {key: value for key, value in data.items() if key in schema["properties"]}


# --- messages -----------------------------------------------------------------------------------

_KINDS = {
    "integer": _l("a whole number"),
    "number": _l("a number"),
    "string": _l("text"),
    "boolean": _l("true or false"),
    "array": _l("a list"),
    "object": _l("an object"),
    "null": _l("empty"),
}


def _path(error) -> str:
    parts = []
    for part in error.absolute_path:
        parts.append(f"[{part}]" if isinstance(part, int) else (f".{part}" if parts else str(part)))
    return "".join(parts)


def _field(error, name=None) -> str:
    """How a message names the field: its schema "title" (a translated label) if it has one, else
    its path in the body ("readings[2]")."""
    schema = error.schema.get("properties", {}).get(name, {}) if name else error.schema
    if schema.get("title"):
        return str(schema["title"])
    path = _path(error)
    if name:
        path = f"{path}.{name}" if path else name
    return path or _root()


def schema_message(error):
    """A Chinese sentence for one jsonschema error, naming the field."""
    field, kind, value, schema = _field(error), error.validator, error.validator_value, error.schema
    if kind == "type":
        kinds = value if isinstance(value, list) else [value]
        wanted = " / ".join(str(_KINDS[k]) for k in kinds if k != "null")
        return _l("%(field)s must be %(kind)s.", field=field, kind=wanted)
    if kind == "required":
        missing = next((name for name in value if name not in (error.instance or {})), value[0])
        return _l("%(field)s is missing.", field=_field(error, missing))
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(schema.get("properties", {})))
        return _l("%(field)s is not expected here.", field=", ".join(extra) or field)
    if kind in ("minimum", "maximum") and "minimum" in schema and "maximum" in schema:
        return _l(
            "%(field)s must be between %(min)s and %(max)s.", field=field, min=schema["minimum"], max=schema["maximum"]
        )
    if kind in ("minimum", "exclusiveMinimum"):
        return _l("%(field)s must be at least %(n)s.", field=field, n=value)
    if kind in ("maximum", "exclusiveMaximum"):
        return _l("%(field)s must be at most %(n)s.", field=field, n=value)
    if kind == "maxLength":
        return _l("%(field)s must be at most %(n)s characters.", field=field, n=value)
    if kind in ("minLength", "minItems", "maxItems", "minProperties", "maxProperties"):
        return _l("%(field)s has too few or too many items.", field=field)
    if kind == "enum":
        shown = ", ".join("null" if v is None else str(v) for v in value)
        return _l("%(field)s must be one of: %(values)s.", field=field, values=shown)
    if kind == "format" and value == "date":
        return _l("%(field)s must be a date like 2026-11-23.", field=field)
    return _l("%(field)s is not valid.", field=field)


def init_inputs(app) -> None:
    """Install the id converter (before any route is added) and the text check."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(check_request_text)
