"""Plain request/response values passed between the HTTP handler and the routes.

Keeping HTTP parsing in one place (the handler) means every route is a function from a
``Request`` to a ``Response`` and can be exercised without sockets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.simulator import jsonio


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Response:
    status: int
    body: str = ""
    content_type: str = "application/json;charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering (fault injection)
    replayed: bool = False  # answered from the requestid cache; nothing was written


def json_response(status: int, payload: Any) -> Response:
    return Response(status, jsonio.dumps(payload))
