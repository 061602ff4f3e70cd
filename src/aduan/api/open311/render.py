"""GeoReport v2 output in XML or JSON from one structure (the spec's "Spark" mapping)."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}

# XML element names of list items, by list name.
ITEM_NAMES = {"services": "service", "service_requests": "request", "errors": "error",
              "attributes": "attribute", "values": "value", "endpoints": "endpoint",
              "formats": "format"}


# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(parent: Element, data: dict[str, Any]) -> None:
    for key, value in data.items():
        child = SubElement(parent, key)
        if isinstance(value, list):
            for item in value:
                node = SubElement(child, ITEM_NAMES.get(key, "item"))
                if isinstance(item, dict):
                    _fill(node, item)
                else:
                    node.text = _xml_value(item)
        elif isinstance(value, dict):
            _fill(child, value)
        else:
            child.text = _xml_value(value)


def to_xml(root: str, data: list[dict[str, Any]] | dict[str, Any]) -> bytes:
    element = Element(root)
    if isinstance(data, list):
        for item in data:
            _fill(SubElement(element, ITEM_NAMES[root]), item)
    else:
        _fill(element, data)
    return tostring(element, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, root: str, data: list[dict[str, Any]] | dict[str, Any], *,
            status: int = 200) -> HttpResponse:
    """`root` names the XML document element (`services`, `service_requests`, …); JSON is
    the bare list or object, as in the spec's examples."""
    body = json.dumps(data, ensure_ascii=False).encode() if fmt == "json" else to_xml(root, data)
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["xml"]))


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The spec's error format: `[{"code": 400, "description": "…"}]` /
    `<errors><error><code>400</code><description>…</description></error></errors>`."""
    return respond(fmt if fmt in FORMATS else "xml", "errors",
                   [{"code": status, "description": description}], status=status)
