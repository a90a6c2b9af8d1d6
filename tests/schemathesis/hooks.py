"""Schemathesis hooks for latchkey's API (loaded through SCHEMATHESIS_HOOKS by scripts/e2e).

- The account import takes JSON lines (application/x-ndjson): the document describes its body as a string, sent as is.
- The operations that need a session (`sessionCookie` in the document) are sent with the session of a fresh account,
  logged in once through the API, so they are fuzzed past authentication, as a logged-in person would call them —
  whenever the case carries the documented cookie; a case without it stays without a session. (On the development
  Worker the cookie is named `latchkey-session`: its origin is plain http.)
- Which operations got past authentication is counted (answers other than 401 to a case sent with the session, or
  with the admin token) and written to $LATCHKEY_SCHEMATHESIS_PAST_AUTH at exit: scripts/e2e fails when the session's
  and the admin's operations were never reached, so a broken login here cannot pass as a clean run.
- A required password change is never announced: the mail would go to every account the suite made, and go on being
  sent while the enumeration check times the Worker. required_change.rs tests the announcement. A campaign the fuzzing
  of `POST /api/admin/campaigns` starts is cancelled at once, and any left is cancelled at exit; campaigns.rs tests
  campaigns, each on a Worker of its own.
"""

import atexit
import json
import os
import secrets

import requests
import schemathesis

_session = {}


def session_cookie():
    """The `name=value` of a session of a parent account made for this run."""
    if "cookie" not in _session:
        base = os.environ["LATCHKEY_BASE_URL"]
        admin = {"Authorization": "Bearer " + os.environ["LATCHKEY_ADMIN_TOKEN"]}
        email = "schemathesis-%s@school.test" % secrets.token_hex(6)
        password = "Quartz-Vivid-Meadow-77-" + secrets.token_hex(4)
        account = {"login_email": email, "audience": "parent", "display_name": "Schemathesis", "password": password}
        created = requests.post(base + "/api/admin/accounts", json=account, headers=admin, timeout=30)
        created.raise_for_status()
        login = {"email": email, "audience": "parent", "password": password}
        answer = requests.post(base + "/api/sessions", json=login, timeout=30)
        answer.raise_for_status()
        _session["cookie"] = answer.headers["Set-Cookie"].split(";")[0]
    return _session["cookie"]


ANNOUNCING = ("/api/admin/password-change-requirement", "/api/admin/accounts/require-password-change")


_with_session = set()
_past_auth = {}


def _admin_headers():
    return {"Authorization": "Bearer " + os.environ["LATCHKEY_ADMIN_TOKEN"]}


def _cancel_campaign(campaign_id):
    base = os.environ["LATCHKEY_BASE_URL"]
    requests.post(base + "/api/admin/campaigns/cancel", json={"id": campaign_id}, headers=_admin_headers(), timeout=30)


@atexit.register
def _cancel_campaigns_left():
    base = os.environ.get("LATCHKEY_BASE_URL")
    if not base:
        return
    listed = requests.get(base + "/api/admin/campaigns", headers=_admin_headers(), timeout=30)
    for campaign in listed.json().get("campaigns", []) if listed.ok else []:
        if campaign.get("status") in ("running", "paused"):
            _cancel_campaign(campaign["id"])


@atexit.register
def _write_past_auth():
    path = os.environ.get("LATCHKEY_SCHEMATHESIS_PAST_AUTH")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(_past_auth, out, indent=1, sort_keys=True)


@schemathesis.hook
def after_call(ctx, case, response):
    if case.method.upper() == "POST" and case.path == "/api/admin/campaigns" and response.status_code in (200, 201):
        _cancel_campaign(response.json()["id"])
    admin = (case.headers or {}).get("Authorization", "").startswith("Bearer ") or "/api/admin/" in case.path
    if (id(case) in _with_session or admin) and response.status_code != 401:
        key = "%s %s" % (case.method.upper(), case.path)
        _past_auth[key] = _past_auth.get(key, 0) + 1


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if case.path in ANNOUNCING and isinstance(case.body, dict) and case.body.get("announce") is True:
        case.body = {**case.body, "announce": False}
    # Only where the case carries the documented cookie: a case that leaves it out (to see the request refused) must
    # go without a session too.
    cookies = case.cookies or {}
    if "__Host-latchkey-session" in cookies:
        name, value = session_cookie().split("=", 1)
        case.cookies = {**cookies, name: value}
        _with_session.add(id(case))


@schemathesis.serializer("application/x-ndjson", "text/csv")
def ndjson(ctx, value):
    if isinstance(value, str):
        return value.encode("utf-8")
    # A generated non-string (negative testing): one JSON line.
    return json.dumps(value).encode("utf-8")
