"""Names QBO accepts: display names, item names and document numbers.

QBO refuses a colon in names (it separates parent and child), limits lengths, and wants
display names unique across all customers. Every rule here is deterministic so the same
source always produces the same name, and a name once posted is kept (renaming a
customer because a namesake arrived later would surprise the bookkeeper).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DISPLAY_NAME_MAX = 100
ITEM_NAME_MAX = 100
PERSON_NAME_MAX = 25  # GivenName / FamilyName
DOC_NUMBER_MAX = 21
REF_NUM_MAX = 21  # PaymentRefNum

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_SPACES = re.compile(r"\s+")


def clean_name(text: str, limit: int) -> str:
    """Printable, colon-free, single-spaced text of at most ``limit`` characters."""
    text = _CONTROL.sub(" ", text).replace(":", "-").replace('"', "'")
    text = _SPACES.sub(" ", text).strip()
    return text[:limit].rstrip()


def with_suffix(base: str, suffix: str, limit: int) -> str:
    """``base (suffix)`` within ``limit``, shortening the base, never the suffix."""
    tail = f" ({clean_name(suffix, limit // 2)})"
    return clean_name(base, limit - len(tail)) + tail


def short_code(text: str, limit: int) -> str:
    """``text`` if it fits, else a prefix plus a digest of the whole (deterministic, unique)."""
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{text[: limit - 9]}~{digest}"


def doc_number(base: str, suffix: str = "") -> str:
    """A DocNumber of at most 21 characters from a source ID and a document suffix."""
    cleaned = _SPACES.sub("", _CONTROL.sub("", base))
    return short_code(cleaned, DOC_NUMBER_MAX - len(suffix)) + suffix


@dataclass(frozen=True)
class NameRequest:
    key: str  # ledger key of the record that gets the name
    base: str  # the name wanted, already cleaned
    source_id: str  # what a collision suffix shows


def assign_unique_names(
    requests: Iterable[NameRequest], posted: Mapping[str, str], limit: int
) -> tuple[dict[str, str], list[NameRequest]]:
    """Unique names for ``requests``; returns the names and the requests that collided.

    Names already posted (``posted``: key -> name) are kept as they are. Among the rest,
    in key order, the first to want a free name gets it; the others get ``name (ID)``.
    """
    taken = {name.casefold() for name in posted.values()}
    names: dict[str, str] = {}
    collided: list[NameRequest] = []
    for request in sorted(requests, key=lambda r: r.key):
        if request.key in posted:
            names[request.key] = posted[request.key]
            continue
        name = request.base
        if name.casefold() in taken:
            name = with_suffix(request.base, request.source_id, limit)
            collided.append(request)
            serial = 2
            while name.casefold() in taken:  # a namesake already carries this suffix
                name = with_suffix(request.base, f"{request.source_id} {serial}", limit)
                serial += 1
        taken.add(name.casefold())
        names[request.key] = name
    return names, collided


_SUFFIX = re.compile(r" \([^()]*\)$")


def name_belongs_to(posted: str, base: str) -> bool:
    """A posted name still belongs to ``base``: itself, or a (shortened) ``base (suffix)``."""
    if posted == base:
        return True
    stem = _SUFFIX.sub("", posted)
    return stem != posted and bool(stem) and base.startswith(stem)
