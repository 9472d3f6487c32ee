// SPDX-License-Identifier: MPL-2.0
// /authentication_api.js for primary IdPs (re-implements Persona's authentication_api.js): the IdP's
// sign-in page, shown in the dialog window, learns the address (beginAuthentication) and sends the
// window back to the dialog when done (completeAuthentication) or given up (raiseAuthenticationFailure).
import { getNavigatorId, setNavigatorId } from './lib/navigator-id.ts'

function personaOrigin(): string {
  const cur = document.currentScript
  const src =
    cur instanceof HTMLScriptElement && cur.src ? cur.src : 'https://login.persona.org/authentication_api.js'
  return new URL(src, location.href).origin
}

const id: Record<string, unknown> = getNavigatorId() ?? {}
if (typeof id.beginAuthentication !== 'function' || id._primaryAPIIsShimmed === true) {
  const ORIGIN = personaOrigin()
  id.beginAuthentication = (cb: unknown) => {
    if (typeof cb !== 'function') throw new TypeError('.beginAuthentication() requires a callback argument')
    const email = new URL(location.href).searchParams.get('email') ?? ''
    setTimeout(() => cb(email), 0)
  }
  id.completeAuthentication = () => {
    location.href = `${ORIGIN}/sign_in#AUTH_RETURN`
  }
  id.raiseAuthenticationFailure = () => {
    location.href = `${ORIGIN}/sign_in#AUTH_RETURN_CANCEL`
  }
  id._primaryAPIIsShimmed = true
  setNavigatorId(id)
}
