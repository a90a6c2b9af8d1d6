"""Schemathesis hooks for latchkey's API (loaded through SCHEMATHESIS_HOOKS by scripts/test).

The account import takes JSON lines (application/x-ndjson): the document describes its body as a string, sent as is.
"""

import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, str):
        return value.encode("utf-8")
    # A generated non-string (negative testing): one JSON line.
    return json.dumps(value).encode("utf-8")
