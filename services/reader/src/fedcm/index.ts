// SPDX-License-Identifier: MPL-2.0
// Persona as a FedCM identity provider (W3C Federated Credential Management, the browser's own
// successor of navigator.id): each endpoint declared once in @persona/wsapi (fedcm/<name>.ts) and
// handled in one file here named after it; this registers them with FedCM's request checks.

import { FedcmErrorBody } from '@persona/wsapi'
import type { FastifyInstance } from 'fastify'
import type { ReaderServices } from '../context.ts'
import { loadSession } from '../session.ts'
import { accounts } from './accounts.ts'
import { assertion } from './assertion.ts'
import { allowOrigin, requestingOrigin, requireWebIdentity } from './checks.ts'
import { clientMetadata } from './client-metadata.ts'
import { config } from './config.ts'
import type { FedcmImplementation } from './context.ts'
import { disconnect } from './disconnect.ts'
import { wellKnown } from './well-known.ts'

export { registerLoginStatus } from './login-status.ts'

const FEDCM_HANDLERS: readonly FedcmImplementation[] = [
  wellKnown,
  config,
  clientMetadata,
  accounts,
  assertion,
  disconnect,
]

/** The FedCM routes on the reader's app (which already decodes the session cookie). */
export function registerFedcm(app: FastifyInstance, env: ReaderServices, now: () => number): void {
  for (const impl of FEDCM_HANDLERS) {
    const e = impl.endpoint
    app.route({
      method: e.method,
      url: e.path,
      schema: {
        ...(e.fields === null ? {} : e.method === 'GET' ? { querystring: e.fields } : { body: e.fields }),
        response: { 200: e.response, '4xx': FedcmErrorBody },
      },
      handler: async (req, reply) => {
        if (e.webIdentity) requireWebIdentity(req)
        const fields: unknown = e.method === 'GET' ? req.query : req.body
        let site = ''
        if (e.forOrigin) {
          site = requestingOrigin(req, Reflect.get(Object(fields), 'client_id'))
          allowOrigin(reply, site)
        }
        reply.header('cache-control', e.credentialed ? 'no-store' : 'public, max-age=300')
        return impl.handle(
          {
            ...env,
            session: loadSession(req.session),
            now: now(),
            site,
            request: { id: req.id, log: req.log },
            setLogin: (state) => {
              reply.header('set-login', state)
            },
          },
          fields,
        )
      },
    })
  }
}
