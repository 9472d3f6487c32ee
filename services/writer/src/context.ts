// SPDX-License-Identifier: MPL-2.0
// What every writer handler gets: the checked arguments, the session as the reader described it, the
// facts the reader verified, and a patch to fill with session changes for the reader to apply.
import type { Params, SessionPatch, SessionState, VerifiedFacts } from '@persona/wsapi'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { WriterEnv } from './env.ts'

export interface PatchBuilder {
  set(field: keyof NonNullable<SessionPatch['set']>, value: string | number | null): void
  logout(): void
  signIn(userid: number, lastPasswordResetMs: number, duration: 'full' | 'keep'): void
  build(): SessionPatch | undefined
}

export function patchBuilder(): PatchBuilder {
  const set: Record<string, string | number | null> = {}
  let logout = false
  let authDuration: 'full' | 'keep' | undefined
  return {
    set(field, value) {
      set[field] = value
    },
    logout() {
      logout = true
    },
    signIn(userid, lastPasswordResetMs, duration) {
      set.userid = userid
      set.auth_level = 'password'
      set.lastPasswordReset = lastPasswordResetMs
      authDuration = duration
    },
    build() {
      if (!logout && Object.keys(set).length === 0) return undefined
      const p: Record<string, unknown> = {}
      if (Object.keys(set).length > 0) p.set = set
      if (logout) p.logout = true
      if (authDuration !== undefined) p.authDuration = authDuration
      return p as SessionPatch
    },
  }
}

export interface WCtx {
  readonly req: FastifyRequest
  readonly reply: FastifyReply
  readonly args: Params
  readonly state: SessionState
  readonly verified: VerifiedFacts | undefined
  readonly patch: PatchBuilder
}

export type WHandler = (ctx: WCtx, env: WriterEnv) => Promise<unknown>

export function str(args: Params, name: string): string {
  const v = args[name]
  if (typeof v !== 'string') throw new Error(`argument ${name} is not a string`)
  return v
}

export function optStr(args: Params, name: string): string | undefined {
  const v = args[name]
  return typeof v === 'string' ? v : undefined
}

/** The signed-in user the reader vouched for. */
export function uidOf(ctx: WCtx): number {
  const id = ctx.state.userid
  if (id === undefined) throw new Error('handler needs a signed-in session')
  return id
}
