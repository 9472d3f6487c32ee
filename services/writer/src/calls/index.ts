// SPDX-License-Identifier: MPL-2.0
// The calls the writer serves, one file each, named after the call: every call that writes, the
// internal ones included.
import type { Implementation } from '@persona/wsapi'
import type { WriterContext } from '../context.ts'
import { accountCancel } from './account-cancel.ts'
import { addEmailWithAssertion } from './add-email-with-assertion.ts'
import { completeEmailConfirmation } from './complete-email-confirmation.ts'
import { completeReset } from './complete-reset.ts'
import { completeTransition } from './complete-transition.ts'
import { completeUserCreation } from './complete-user-creation.ts'
import { createAccountWithAssertion } from './create-account-with-assertion.ts'
import { endSessions } from './end-sessions.ts'
import { forgetIdp } from './forget-idp.ts'
import { incrementFailedAuthTries } from './increment-failed-auth-tries.ts'
import { removeEmail } from './remove-email.ts'
import { resetFailedAuthTries } from './reset-failed-auth-tries.ts'
import { sawIdp } from './saw-idp.ts'
import { stageEmail } from './stage-email.ts'
import { stageReset } from './stage-reset.ts'
import { stageReverify } from './stage-reverify.ts'
import { stageTransition } from './stage-transition.ts'
import { stageUser } from './stage-user.ts'
import { updatePassword } from './update-password.ts'
import { usedAddressAsPrimary } from './used-address-as-primary.ts'
import { userUsedEmailAs } from './user-used-email-as.ts'

export const WRITER_HANDLERS: readonly Implementation<WriterContext>[] = [
  accountCancel,
  addEmailWithAssertion,
  completeEmailConfirmation,
  completeReset,
  completeTransition,
  completeUserCreation,
  createAccountWithAssertion,
  endSessions,
  forgetIdp,
  incrementFailedAuthTries,
  removeEmail,
  resetFailedAuthTries,
  sawIdp,
  stageEmail,
  stageReset,
  stageReverify,
  stageTransition,
  stageUser,
  updatePassword,
  usedAddressAsPrimary,
  userUsedEmailAs,
]
