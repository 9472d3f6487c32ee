// SPDX-License-Identifier: MPL-2.0
// cert_key: the certifier signs the browser's public key for one of the signed-in user's verified
// addresses; the certificate is the whole text body.
import { PersonaError } from '@persona/kit'
import { CERT_KEY, USER_USED_EMAIL_AS } from '@persona/wsapi'
import { background, implement } from '../context.ts'
import { authOf } from '../session.ts'

export const certKey = implement(CERT_KEY)(async (ctx) => {
  const auth = authOf(ctx.session, ctx.now)
  if (auth === undefined) throw new PersonaError('ERR_UNAUTHORIZED', 'requires authentication')
  const { email, pubkey, ephemeral, forceIssuer, allowUnverified } = ctx.args
  const row = await ctx.replica.address(email)
  if (row === undefined || row.userId !== auth.userid) {
    throw new PersonaError('ERR_BAD_REQUEST', 'that email does not belong to you')
  }
  if (!row.verified && allowUnverified !== true) {
    throw new PersonaError('ERR_FORBIDDEN', 'that email requires (re)verification')
  }
  let res: Awaited<ReturnType<typeof ctx.certifier.call>>
  try {
    res = await ctx.certifier.call('/wsapi/cert_key', {
      method: 'POST',
      body: {
        email: row.address,
        pubkey,
        ephemeral,
        ...(forceIssuer !== undefined ? { forceIssuer } : {}),
        unverified: !row.verified,
      },
      requestId: ctx.request.id,
      token: ctx.cfg.CERTIFIER_TOKEN,
    })
  } catch (e) {
    throw new PersonaError('ERR_INTERNAL', "can't contact keysigner", {
      cause: e,
      detail: 'certifier unreachable',
    })
  }
  if (res.status === 400) {
    const reason: unknown =
      typeof res.body === 'object' && res.body !== null ? Reflect.get(res.body, 'reason') : undefined
    throw new PersonaError('ERR_BAD_REQUEST', typeof reason === 'string' ? reason : 'bad request')
  }
  if (res.status !== 200 || typeof res.body !== 'string') {
    throw new PersonaError('ERR_BAD_GATEWAY', 'certification generation error', {
      detail: `certifier ${res.status}`,
    })
  }
  if (row.type !== 'secondary') {
    const used = ctx.writer.call(USER_USED_EMAIL_AS, { email: row.address, used_as: 'secondary' })
    background(ctx, used, USER_USED_EMAIL_AS.name)
  }
  return res.body
})
