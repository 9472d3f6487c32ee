// SPDX-License-Identifier: MPL-2.0
// The Login Status API: a response that changes whether this browser is signed in to Persona says so
// (Set-Login: logged-in / logged-out), so FedCM knows without asking (a page's requests only).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { authOf, loadSession } from '../session.ts'

export function registerLoginStatus(app: FastifyInstance, now: () => number): void {
  const before = new WeakMap<FastifyRequest, boolean>()
  app.addHook('preHandler', async (req) => {
    before.set(req, authOf(loadSession(req.session), now()) !== undefined)
  })
  app.addHook('onSend', async (req, reply, payload) => {
    const was = before.get(req)
    if (was === undefined || reply.hasHeader('set-login')) return payload
    const is = authOf(loadSession(req.session), now()) !== undefined
    if (is !== was) reply.header('set-login', is ? 'logged-in' : 'logged-out')
    return payload
  })
}
