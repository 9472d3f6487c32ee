// SPDX-License-Identifier: MPL-2.0
// ping: text `ok` while the replica answers, 500 `fail` otherwise.
import { PING } from '@persona/wsapi'
import { implement } from '../context.ts'

export const ping = implement(PING)(async (ctx) => {
  try {
    await ctx.replica.ping()
    return 'ok'
  } catch {
    ctx.setStatus(500)
    return 'fail'
  }
})
