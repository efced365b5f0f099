"""QBO JSON -> xmlschema data, driven by Intuit's XSD (notes §9, "what works").

QBO's JSON is the XML model with attributes flattened into keys, so a plain encode
loses references and trips over key order. Walking the schema type alongside the data
fixes both: simple-content types (references) map ``value`` to ``$`` and other keys to
``@attributes``; complex types map their XSD attributes (``domain``, ``sparse``, ``status``,
Fault ``type``, Error ``code``/``element``) to ``@key``; empty lists are dropped; a key the
schema does not declare is an error, never silently ignored.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

NS = "http://schema.intuit.com/finance/v3"
REPO_ROOT = Path(__file__).resolve().parents[2]


class UnknownField(ValueError):
    """The JSON carries a key the XSD type does not declare."""


def find_xsd_dir() -> Path | None:
    """``../shared/qbo-xsd`` beside the repository (CI layout), or $LEDGERBRIDGE_QBO_XSD_DIR."""
    override = os.environ.get("LEDGERBRIDGE_QBO_XSD_DIR")
    candidates = [Path(override)] if override else []
    candidates += [REPO_ROOT.parent / "shared" / "qbo-xsd",
                   REPO_ROOT.parent.parent / "shared" / "qbo-xsd"]  # git worktrees under wt/
    for candidate in candidates:
        if (candidate / "IntuitRestServiceDef.xsd").is_file():
            return candidate
    return None


def to_xmlschema_data(value: Any, xsd_type: Any, path: str) -> Any:
    if xsd_type.has_simple_content() or xsd_type.is_simple():
        if not isinstance(value, dict):
            return value
        mapped = {}
        for key, item in value.items():
            if key == "value":
                mapped["$"] = item
            elif key in xsd_type.attributes:
                mapped[f"@{key}"] = item
            else:
                raise UnknownField(f"{path}.{key}")
        return mapped
    if not isinstance(value, dict):
        raise UnknownField(f"{path} should be an object")
    children = {}
    for element in xsd_type.content.iter_elements():
        children[element.local_name] = element
        for substitute in element.iter_substitutes():  # e.g. Customer for IntuitObject
            children.setdefault(substitute.local_name, substitute)
    mapped = {}
    for key, item in value.items():
        if key in xsd_type.attributes:
            mapped[f"@{key}"] = item
            continue
        child = children.get(key)
        if child is None:
            raise UnknownField(f"{path}.{key}")
        if isinstance(item, list):
            if item:
                mapped[key] = [to_xmlschema_data(v, child.type, f"{path}.{key}") for v in item]
        elif item is not None:
            mapped[key] = to_xmlschema_data(item, child.type, f"{path}.{key}")
    return mapped


def validate_entity(schema: Any, element_name: str, payload: dict[str, Any]) -> None:
    """Raise if ``payload`` (QBO JSON for ``element_name``) is not valid per the XSD."""
    import xmlschema

    element = schema.elements[element_name]
    data = to_xmlschema_data(payload, element.type, element_name)
    tree = element.encode(data, namespaces={"": NS}, converter=xmlschema.UnorderedConverter,
                          validation="strict")
    schema.validate(tree)
