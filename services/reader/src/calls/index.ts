// SPDX-License-Identifier: MPL-2.0
// The calls the reader implements itself, one file each, named after the call. Every other public call
// writes, and the reader hands it to the writer once its pipeline has passed (app.ts).
import type { Implementation } from '@persona/wsapi'
import type { ReaderContext } from '../context.ts'
import { addEmailWithAssertion } from './add-email-with-assertion.ts'
import { addressInfo } from './address-info.ts'
import { authWithAssertion } from './auth-with-assertion.ts'
import { authenticateUser } from './authenticate-user.ts'
import { certKey } from './cert-key.ts'
import { checkIdp } from './check-idp.ts'
import { discovery } from './discovery.ts'
import { emailAdditionStatus } from './email-addition-status.ts'
import { emailForToken } from './email-for-token.ts'
import { emailReverifyStatus } from './email-reverify-status.ts'
import { haveEmail } from './have-email.ts'
import { interactionData } from './interaction-data.ts'
import { listEmails } from './list-emails.ts'
import { logout } from './logout.ts'
import { passwordResetStatus } from './password-reset-status.ts'
import { ping } from './ping.ts'
import { prolongSession } from './prolong-session.ts'
import { sessionContext } from './session-context.ts'
import { transitionStatus } from './transition-status.ts'
import { usedAddressAsPrimary } from './used-address-as-primary.ts'
import { userCreationStatus } from './user-creation-status.ts'

export const READER_HANDLERS: readonly Implementation<ReaderContext>[] = [
  addEmailWithAssertion,
  addressInfo,
  authWithAssertion,
  authenticateUser,
  certKey,
  checkIdp,
  discovery,
  emailAdditionStatus,
  emailForToken,
  emailReverifyStatus,
  haveEmail,
  interactionData,
  listEmails,
  logout,
  passwordResetStatus,
  ping,
  prolongSession,
  sessionContext,
  transitionStatus,
  usedAddressAsPrimary,
  userCreationStatus,
]
