"""The record's JSON Schema as the columns of a table, for the formats that are tables.

Read from `archiver/schema.json` when an export runs, so a field added to the record becomes a
column with no change here. Objects (`warc`, `extractor`, and nullable ones) are flattened into
`object_field` columns (`warc_filename`, `extractor_version`): one flat table reads the same in
pandas, DuckDB and R, and a query written against the Parquet file works on the CSV. Lists stay
lists; objects inside lists stay objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from archiver.records import record_schema

Kind = Literal["string", "integer", "number", "boolean", "list", "object", "json"]
"""What a value is in a table; "json" for what the schema leaves open (kept as JSON text)."""

_PYTHON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}
_SCALARS: dict[str, Kind] = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}


@dataclass(frozen=True)
class SchemaNode:
    """One node of the record schema, with its `$ref`s followed."""

    node: dict[str, Any]
    root: dict[str, Any]

    @property
    def description(self) -> str | None:
        text = self.node.get("description")
        return text if isinstance(text, str) else None

    @property
    def kind(self) -> Kind:
        types = {t for alternative in self._alternatives() for t in alternative._types()}
        types.discard("null")
        if types == {"integer", "number"}:
            return "number"
        if len(types) != 1:
            return "json"
        (only,) = types
        if only == "array":
            return "list"
        if only == "object":
            return "object" if self.properties else "json"
        return _SCALARS.get(only, "json")

    @property
    def items(self) -> SchemaNode:
        for alternative in self._alternatives():
            items = alternative.node.get("items")
            if isinstance(items, dict):
                return self._at(items)
        return self._at({})

    @property
    def properties(self) -> dict[str, SchemaNode]:
        for alternative in self._alternatives():
            properties = alternative.node.get("properties")
            if isinstance(properties, dict):
                return {name: self._at(node) for name, node in properties.items()}
        return {}

    def _at(self, node: dict[str, Any]) -> SchemaNode:
        seen = 0
        while isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/") and seen < 20:
            target: Any = self.root
            for part in node["$ref"][2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node, seen = target if isinstance(target, dict) else {}, seen + 1
        return SchemaNode(node, self.root)

    def _alternatives(self) -> Iterator[SchemaNode]:
        yield self
        for keyword in ("anyOf", "oneOf"):
            for node in self.node.get(keyword, []):
                if isinstance(node, dict):
                    yield from self._at(node)._alternatives()

    def _types(self) -> set[str]:
        declared = self.node.get("type")
        if isinstance(declared, str):
            return {declared}
        if isinstance(declared, list):
            return {t for t in declared if isinstance(t, str)}
        values = [self.node["const"]] if "const" in self.node else self.node.get("enum", [])
        if values:
            return {_PYTHON_TYPES.get(type(v), "null" if v is None else "json") for v in values}
        if "properties" in self.node:
            return {"object"}
        if "items" in self.node:
            return {"array"}
        return set()


@dataclass(frozen=True)
class Column:
    name: str
    """`warc_filename` for the record's `warc.filename`."""
    path: tuple[str, ...]
    schema: SchemaNode

    def value(self, record: dict[str, Any]) -> Any:
        """The record's value, or None where the record (an older one) lacks the field."""
        value: Any = record
        for key in self.path:
            value = value.get(key) if isinstance(value, dict) else None
        return value


def record_columns(schema: dict[str, Any] | None = None) -> list[Column]:
    """The table's columns in the schema's order, objects flattened."""
    root = record_schema() if schema is None else schema
    return list(_flatten(SchemaNode(root, root), ()))


def _flatten(node: SchemaNode, path: tuple[str, ...]) -> Iterator[Column]:
    for name, child in node.properties.items():
        if child.kind == "object":
            yield from _flatten(child, (*path, name))
        else:
            yield Column("_".join((*path, name)), (*path, name), child)
