// SPDX-License-Identifier: MPL-2.0
// Client metadata: Persona keeps no list of sites, so there is nothing to say about one beyond what the
// site says itself (no privacy policy or terms of ours to link).
import { FEDCM_CLIENT_METADATA } from '@persona/wsapi'
import { implementFedcm } from './context.ts'

export const clientMetadata = implementFedcm(FEDCM_CLIENT_METADATA)(async () => ({}))
