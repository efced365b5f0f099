"""QBO's query language: parse, then filter, sort and page records in memory.

Grammar (notes §7): ``SELECT * | COUNT(*) FROM Entity [WHERE cond [AND cond]...]
[ORDERBY prop [ASC|DESC][, ...]] [STARTPOSITION n] [MAXRESULTS n]`` with operators
``= < > <= >= IN LIKE`` (``%`` wildcard), single-quoted strings with ``\\'`` escapes, no OR,
no projections. Entity names are case sensitive; keywords are not. STARTPOSITION is
1-based and MAXRESULTS is at most 1000 (default 100); out-of-range values are 4001.
Inactive name-list records are left out unless the query filters on ``Active``. String
comparisons ignore case (QBO's case rule is UNCONFIRMED).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from app.simulator import errors

MAX_RESULTS = 1000
DEFAULT_RESULTS = 100
_TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>'(?:\\.|[^'\\])*')
    | (?P<op><=|>=|<>|!=|=|<|>)
    | (?P<punct>[(),*])
    | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    | (?P<number>-?\d+(?:\.\d+)?)
    )""", re.VERBOSE)
_OPS = {"=", "<", ">", "<=", ">=", "IN", "LIKE"}


@dataclass(frozen=True)
class Condition:
    prop: str
    op: str
    value: Any


@dataclass
class Query:
    entity: str
    count: bool = False
    where: list[Condition] = field(default_factory=list)
    order: list[tuple[str, bool]] = field(default_factory=list)  # (prop, descending)
    start: int = 1
    max_results: int = DEFAULT_RESULTS


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.strip().rstrip(";")
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            if text[pos:].strip() == "":
                break
            raise errors.query_parse_error(f"Encountered \"{text[pos:pos + 10]}\" at column "
                                           f"{pos + 1}.")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise errors.query_parse_error("Encountered \"<EOF>\": the statement is incomplete.")
        self.pos += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token and token[0] == "word" and token[1].upper() == word:
            self.pos += 1
            return True
        return False

    def expect(self, word: str) -> None:
        if not self.keyword(word):
            token = self.peek()
            raise errors.query_parse_error(
                f"Encountered \"{token[1] if token else '<EOF>'}\". Was expecting \"{word}\".")

    def parse(self) -> Query:
        self.expect("SELECT")
        count = self._projection()
        self.expect("FROM")
        kind, entity = self.take()
        if kind != "word":
            raise errors.query_parse_error(f"Encountered \"{entity}\". Was expecting an entity.")
        query = Query(entity=entity, count=count)
        if self.keyword("WHERE"):
            query.where.append(self._condition())
            while self.keyword("AND"):
                query.where.append(self._condition())
            if self.peek() and self.peek()[1].upper() == "OR":  # type: ignore[index]
                raise errors.query_parse_error("Encountered \"OR\": OR is not supported.")
        if self.keyword("ORDERBY") or (self.keyword("ORDER") and self._by()):
            query.order.append(self._order_item())
            while self.peek() == ("punct", ","):
                self.take()
                query.order.append(self._order_item())
        if self.keyword("STARTPOSITION"):
            query.start = self._bounded_int("STARTPOSITION", 1, None)
        if self.keyword("MAXRESULTS"):
            query.max_results = self._bounded_int("MAXRESULTS", 1, MAX_RESULTS)
        if self.peek() is not None:
            raise errors.query_parse_error(f"Encountered \"{self.peek()[1]}\" "  # type: ignore
                                           "after the end of the statement.")
        return query

    def _by(self) -> bool:
        self.expect("BY")
        return True

    def _projection(self) -> bool:
        if self.peek() == ("punct", "*"):
            self.take()
            return False
        if self.keyword("COUNT"):
            for expected in ("(", "*", ")"):
                if self.take() != ("punct", expected):
                    raise errors.query_parse_error("Was expecting COUNT(*).")
            return True
        raise errors.invalid_query("only SELECT * and SELECT COUNT(*) are supported; "
                                   "projections are not")

    def _condition(self) -> Condition:
        kind, prop = self.take()
        if kind != "word":
            raise errors.query_parse_error(f"Encountered \"{prop}\". Was expecting a property.")
        kind, op = self.take()
        op = op.upper()
        if op not in _OPS:
            raise errors.query_parse_error(f"Encountered \"{op}\". Was expecting an operator.")
        if op == "IN":
            if self.take() != ("punct", "("):
                raise errors.query_parse_error("Was expecting \"(\" after IN.")
            values = [self._value()]
            while self.peek() == ("punct", ","):
                self.take()
                values.append(self._value())
            if self.take() != ("punct", ")"):
                raise errors.query_parse_error("Was expecting \")\" to close IN.")
            return Condition(prop, op, values)
        return Condition(prop, op, self._value())

    def _value(self) -> Any:
        kind, raw = self.take()
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", raw[1:-1])
        if kind == "number":
            return Decimal(raw)
        if kind == "word" and raw.lower() in {"true", "false"}:
            return raw.lower() == "true"
        raise errors.query_parse_error(f"Encountered \"{raw}\". Was expecting a value.")

    def _order_item(self) -> tuple[str, bool]:
        kind, prop = self.take()
        if kind != "word":
            raise errors.query_parse_error(f"Encountered \"{prop}\" in ORDERBY.")
        if self.keyword("DESC"):
            return prop, True
        self.keyword("ASC")
        return prop, False

    def _bounded_int(self, name: str, low: int, high: int | None) -> int:
        kind, raw = self.take()
        if kind != "number" or "." in raw:
            raise errors.query_parse_error(f"{name} expects a whole number, not \"{raw}\".")
        value = int(raw)
        if value < low:
            raise errors.invalid_query(f"value {value} is too small. Min allowed value is {low}")
        if high is not None and value > high:
            raise errors.invalid_query(f"value {value} is too large. Max allowed value is "
                                       f"{high}")
        return value


def parse(text: str) -> Query:
    return _Parser(text).parse()


def _lookup(record: dict[str, Any], prop: str) -> Any:
    value: Any = record
    for part in prop.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    return value


def _comparable(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value) if re.fullmatch(r"-?\d+(\.\d+)?", value) else value.casefold()
        except InvalidOperation:
            return value.casefold()
    return value


def _matches(record: dict[str, Any], cond: Condition) -> bool:
    actual = _lookup(record, cond.prop)
    if actual is None:
        return cond.op == "=" and cond.value == " "  # QBO writes null as ' '
    if cond.op == "LIKE":
        pattern = "".join(".*" if c == "%" else re.escape(c) for c in str(cond.value))
        return re.fullmatch(pattern, str(actual), re.IGNORECASE | re.DOTALL) is not None
    left = _comparable(actual)
    if cond.op == "IN":
        return any(_equal(left, _comparable(v)) for v in cond.value)
    right = _comparable(cond.value)
    if cond.op == "=":
        return _equal(left, right)
    try:
        return {"<": left < right, ">": left > right, "<=": left <= right,
                ">=": left >= right}[cond.op]
    except TypeError:
        return False


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right or str(left).lower() == str(right).lower()
    return left == right


def run(query: Query, records: list[dict[str, Any]], name_list: bool) -> dict[str, Any]:
    """The ``QueryResponse`` body for ``records`` (already presented, all of one kind)."""
    rows = [r for r in records if all(_matches(r, c) for c in query.where)]
    if name_list and not any(c.prop == "Active" for c in query.where):
        rows = [r for r in rows if r.get("Active", True) is not False]
    if query.count:
        return {"totalCount": len(rows)}
    rows.sort(key=lambda r: int(r["Id"]) if str(r["Id"]).isdigit() else 0)
    for prop, descending in reversed(query.order):  # stable sorts: last key first
        rows.sort(key=_sorter(prop), reverse=descending)
    page = rows[query.start - 1: query.start - 1 + query.max_results]
    if not page:
        return {}
    return {query.entity: page, "startPosition": query.start, "maxResults": len(page)}


def _sorter(prop: str) -> Callable[[dict[str, Any]], tuple[int, Any]]:
    return lambda record: _sort_key(_lookup(record, prop))


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    comparable = _comparable(value)
    if isinstance(comparable, Decimal):
        return (1, comparable)
    return (2, str(comparable))
