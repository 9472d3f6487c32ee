// SPDX-License-Identifier: MPL-2.0
// Heartbeats: `/__heartbeat__` answers when the process is up (shallow, for load balancers);
// `/__heartbeat__?deep=1` also checks each dependency with a bounded timeout and answers 503 when one
// fails, naming it.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'

export interface DeepCheck {
  readonly name: string
  /** Resolves when the dependency is healthy; rejects with the reason otherwise. */
  readonly check: () => Promise<unknown>
}

export interface CheckResult {
  ok: boolean
  ms: number
  error?: string
}

const DEEP_TIMEOUT_MS = 3000

async function runCheck(c: DeepCheck): Promise<CheckResult> {
  const start = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      c.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${DEEP_TIMEOUT_MS} ms`)), DEEP_TIMEOUT_MS)
      }),
    ])
    return { ok: true, ms: Math.round(performance.now() - start) }
  } catch (e) {
    return {
      ok: false,
      ms: Math.round(performance.now() - start),
      error: e instanceof Error ? e.message : String(e),
    }
  } finally {
    clearTimeout(timer)
  }
}

const HeartbeatQuery = Type.Object({ deep: Type.Optional(Type.String({ maxLength: 8 })) })

export function registerHeartbeat(app: FastifyInstance, service: string, checks: readonly DeepCheck[]): void {
  const shallow = { status: 'ok', service }
  app.get('/__lbheartbeat__', { logLevel: 'warn' }, async () => shallow)
  app.get(
    '/__heartbeat__',
    { logLevel: 'warn', schema: { querystring: HeartbeatQuery } },
    async (req, reply) => {
      const q = req.query as { deep?: string }
      if (q.deep === undefined || q.deep === '0' || q.deep === 'false') return shallow
      const entries = await Promise.all(checks.map(async (c) => [c.name, await runCheck(c)] as const))
      const results = Object.fromEntries(entries)
      const ok = entries.every(([, r]) => r.ok)
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'fail', service, checks: results })
    },
  )
}
