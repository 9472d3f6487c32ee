# SPDX-License-Identifier: MPL-2.0
# Schemathesis hooks for the run against the public API (test/security/schemathesis.test.ts): every
# request carries a signed-in browser's session cookie and every JSON body to /wsapi that session's
# CSRF token, so generated requests get past the CSRF and sign-in checks to the argument checks and
# the handlers, where bugs live, instead of all ending in 403 or 401. PERSONA_SESSIONS maps a path to
# its session ({"cookie": ..., "csrf": ...}), "*" to the one for every other path: the calls that end
# a session (logout, account_cancel) each get an account of their own, so the others stay signed in.
import json
import os

import schemathesis

SESSIONS = json.loads(os.environ.get("PERSONA_SESSIONS", "{}"))


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    session = SESSIONS.get(case.path, SESSIONS.get("*"))
    if session is None:
        return
    case.headers = {**(case.headers or {}), "Cookie": session["cookie"]}
    if case.path.startswith("/wsapi/") and isinstance(case.body, dict):
        case.body = {**case.body, "csrf": session["csrf"]}
