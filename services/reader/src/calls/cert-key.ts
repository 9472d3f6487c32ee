// SPDX-License-Identifier: MPL-2.0
// cert_key: the certifier signs the browser's public key for one of the signed-in user's verified
// addresses; the certificate is the whole text body.
import { PersonaError } from '@persona/kit'
import { CERT_KEY, USER_USED_EMAIL_AS } from '@persona/wsapi'
import { certify } from '../certify.ts'
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
  const cert = await certify(ctx, {
    email: row.address,
    pubkey,
    ephemeral,
    ...(forceIssuer !== undefined ? { forceIssuer } : {}),
    unverified: !row.verified,
    requestId: ctx.request.id,
  })
  if (row.type !== 'secondary') {
    const used = ctx.writer.call(USER_USED_EMAIL_AS, { email: row.address, used_as: 'secondary' })
    background(ctx, used, USER_USED_EMAIL_AS.name)
  }
  return cert
})
