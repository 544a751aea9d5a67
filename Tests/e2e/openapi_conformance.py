"""Checks every exchange the end-to-end suite has with the API against the OpenAPI document the
server publishes: the status is one the operation documents, the response body matches that
status's schema, and a request the server accepted (2xx) is one the document allows — its JSON
body, its query parameters and the required ones among them.

conftest.py installs `record` on requests' Session.send and calls `check` after every test, so a
test fails when the server and its document disagree on anything that test did."""
import json
import re
import threading
import urllib.parse

import requests
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOC_URI = "urn:tradepost:openapi"

_lock = threading.Lock()
_pending = []          # (method, url, request body bytes or None, request content type, response)
_api_ports = set()     # ports of API listeners the suite started
_document = None       # (operations, registry), loaded once from the first server


def watch(port):
    """Records the exchanges with the API listener on this port."""
    _api_ports.add(port)


def record(send):
    def wrapped(session, prepared, **kwargs):
        response = send(session, prepared, **kwargs)
        url = urllib.parse.urlsplit(prepared.url)
        if url.hostname == "127.0.0.1" and url.port in _api_ports and not kwargs.get("stream"):
            body = prepared.body if isinstance(prepared.body, (bytes, str)) else None
            with _lock:
                _pending.append((prepared.method, prepared.url, body, prepared.headers.get("Content-Type", ""), response))
        return response
    return wrapped


def load(base_url):
    """Reads the document from a running server, once for the whole run (every server is the same binary)."""
    _load(base_url)


def _load(base_url):
    global _document
    if _document is None:
        doc = requests.get(base_url + "/api/openapi.json", timeout=30).json()
        registry = Registry().with_resource(DOC_URI, Resource.from_contents(doc, default_specification=DRAFT202012))
        operations = []
        for path, methods in doc["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")
            operations.append((pattern, path, methods))
        _document = (operations, registry)
    return _document


def _pointer(*parts):
    return DOC_URI + "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _validate(registry, pointer, value):
    validator = Draft202012Validator({"$ref": pointer}, registry=registry)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}" for e in validator.iter_errors(value)]


def _media(content_type):
    return (content_type or "").split(";")[0].strip().lower()


def _query_value(raw, schema):
    """A query string's text as the type its schema names (form style), or the text itself."""
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(raw)
        if kind == "number":
            return float(raw)
    except ValueError:
        return raw
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    return raw


def _check_one(operations, registry, method, url, body, content_type, response):
    split = urllib.parse.urlsplit(url)
    path = split.path
    for pattern, template, methods in operations:
        if pattern.match(path):
            break
    else:
        return []  # not an API path the document covers (the web app, deliberately unknown routes)
    where = f"{method} {path} → {response.status_code}"
    op = methods.get(method.lower())
    if op is None:
        return [] if response.status_code in (404, 405) else [f"{where}: {method} is not documented on {template}"]
    status = str(response.status_code)
    responses = op["responses"]
    if status not in responses:
        return [f"{where}: status {status} is not documented (documented: {', '.join(responses)})"]
    problems = []
    content = responses[status].get("content", {})
    media = _media(response.headers.get("Content-Type"))
    if media.endswith("json") and response.content:
        if media not in content:
            problems.append(f"{where}: content type {media} is not documented (documented: {', '.join(content) or 'none'})")
        else:
            for error in _validate(registry, _pointer("paths", template, method.lower(), "responses", status, "content", media, "schema"),
                                   response.json()):
                problems.append(f"{where}: response {error}")
    if 200 <= response.status_code < 300:
        # Accepted: the request must be one the document allows.
        query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        for parameter in op.get("parameters", []):
            if parameter["in"] != "query":
                continue
            name = parameter["name"]
            if name not in query:
                if parameter.get("required"):
                    problems.append(f"{where}: accepted without the required query parameter {name}")
                continue
            for error in _validate(registry, _pointer("paths", template, method.lower(), "parameters", op["parameters"].index(parameter), "schema"),
                                   _query_value(query[name][0], parameter["schema"])):
                problems.append(f"{where}: accepted query parameter {name}: {error}")
        request_content = op.get("requestBody", {}).get("content", {})
        if body and _media(content_type) in request_content and _media(content_type).endswith("json"):
            try:
                sent = json.loads(body)
            except ValueError:
                sent = None
            if sent is not None:
                for error in _validate(registry, _pointer("paths", template, method.lower(), "requestBody", "content",
                                                          _media(content_type), "schema"), sent):
                    problems.append(f"{where}: accepted a body the document forbids: {error}")
    return problems


def check():
    """Checks the exchanges recorded since the last call; returns the disagreements found."""
    with _lock:
        exchanges = list(_pending)
        _pending.clear()
    if not exchanges:
        return []
    if _document is None:
        return ["the OpenAPI document was never loaded (Server.start loads it)"]
    operations, registry = _document
    problems = []
    for exchange in exchanges:
        problems += _check_one(operations, registry, *exchange)
    return problems
