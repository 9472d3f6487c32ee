// SPDX-License-Identifier: MPL-2.0
// Request ids travel from nginx through every hop in the X-Request-Id header, so one sign-in can be
// followed across services. A caller-supplied id is kept only when it is short and plain (no log
// injection); otherwise a new one is made.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const REQUEST_ID_HEADER = 'x-request-id'
const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/

export function requestIdFrom(req: IncomingMessage): string {
  const h = req.headers[REQUEST_ID_HEADER]
  const v = Array.isArray(h) ? h[0] : h
  return v !== undefined && SAFE_ID.test(v) ? v : randomUUID()
}
