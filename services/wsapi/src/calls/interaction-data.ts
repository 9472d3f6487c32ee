// SPDX-License-Identifier: MPL-2.0
// interaction_data (Persona's lib/wsapi/interaction_data.js): the dialog's sampled KPI data (accepted,
// answered at once).
import { defineCall } from '../define.ts'
import { Success } from '../replies.ts'

export const INTERACTION_DATA = defineCall({
  name: 'interaction_data',
  method: 'POST',
  writesDb: false,
  auth: false,
  args: null,
  response: Success,
})
