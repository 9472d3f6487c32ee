// SPDX-License-Identifier: MPL-2.0
// interaction_data: the dialog's sampled KPI data, accepted and answered at once.
import { INTERACTION_DATA } from '@persona/wsapi'
import { implement } from '../context.ts'

export const interactionData = implement(INTERACTION_DATA)(async () => ({ success: true }))
