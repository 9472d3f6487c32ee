# SPDX-License-Identifier: MPL-2.0
# Schemathesis hooks for the run against the public API (test/security/schemathesis.test.ts): every
# request carries a signed-in browser's session cookie and every JSON body to /wsapi that session's
# CSRF token, so generated requests get past the CSRF and sign-in checks to the argument checks and
# the handlers, where bugs live, instead of all ending in 403 or 401. PERSONA_SESSIONS maps a path to
# its session ({"cookie": ..., "csrf": ...}), "*" to the one for every other path: the calls that end
# a session (logout, account_cancel) each get an account of their own, so the others stay signed in.
# cert_key: half its generated requests (with a JSON body) are for the session's own address and a
# real public key (PERSONA_PUBKEY), a quarter with no optional argument either, so its success path
# (a certificate) is fuzzed and checked too; the other half stay as generated.
import itertools
import json
import os

import schemathesis

SESSIONS = json.loads(os.environ.get("PERSONA_SESSIONS", "{}"))
PUBKEY = os.environ.get("PERSONA_PUBKEY")
CERT_KEY_CALLS = itertools.count()


def certifiable(body, session):
    n = next(CERT_KEY_CALLS)
    if n % 2 == 1 or PUBKEY is None or "email" not in session:
        return body
    body = {**body, "email": session["email"], "pubkey": PUBKEY}
    if n % 4 == 0:
        body = {k: v for k, v in body.items() if k not in ("forceIssuer", "allowUnverified")}
        body["ephemeral"] = body.get("ephemeral") is True
    return body


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    session = SESSIONS.get(case.path, SESSIONS.get("*"))
    if session is None:
        return
    case.headers = {**(case.headers or {}), "Cookie": session["cookie"]}
    if case.path.startswith("/wsapi/") and isinstance(case.body, dict):
        body = certifiable(case.body, session) if case.path == "/wsapi/cert_key" else case.body
        case.body = {**body, "csrf": session["csrf"]}
