// SPDX-License-Identifier: MPL-2.0
// Every Persona metric, declared once as data: the services register what they count from here
// (`app.metrics.use(METRICS.verifier.verifications)`), and the alert rules and dashboards in
// monitoring/ are tested against this list, so a renamed metric cannot silently empty a panel.
// Names follow persona_<area>_<thing>[_unit|_total]; the scrape adds cluster, host and service. A
// cluster's deploy and DNS state is measured from outside, by probes (monitoring/src/rules.ts:
// persona:cluster:drained and persona:cluster:in_dns), not reported by a process.
import {
  BUILD_INFO,
  counter,
  gauge,
  HTTP_REQUEST_DURATION,
  histogram,
  LATENCY_BUCKETS,
  PROCESS_WORKERS,
} from './metrics.ts'
import { SECURITY_EVENTS_TOTAL } from './security-events.ts'

/** Why a verification failed, in a handful of classes an operator can act on (label `reason`). */
export const VERIFY_REASON_CLASSES = [
  'none',
  'malformed',
  'expired',
  'audience',
  'signature',
  'issuer',
  'support_document',
  'unverified_email',
  'request',
  'internal',
  'overload',
] as const
export type VerifyReasonClass = (typeof VERIFY_REASON_CLASSES)[number]

/** The class of a BrowserID failure code (services/browserid errors.ts); unknown codes are `internal`. */
export function verifyReasonClass(code: string | undefined): VerifyReasonClass {
  switch (code) {
    case undefined:
      return 'none'
    case 'ERR_MALFORMED_BUNDLE':
    case 'ERR_MALFORMED_CERTIFICATE':
    case 'ERR_MALFORMED_ASSERTION':
    case 'ERR_CHAIN_TOO_LONG':
    case 'ERR_INVALID_EMAIL':
    case 'ERR_UNSUPPORTED_ALGORITHM':
      return 'malformed'
    case 'ERR_CERTIFICATE_EXPIRED':
    case 'ERR_CERTIFICATE_NOT_YET_VALID':
    case 'ERR_ASSERTION_EXPIRED':
    case 'ERR_ASSERTION_NOT_YET_VALID':
      return 'expired'
    case 'ERR_AUDIENCE_MISMATCH':
    case 'ERR_BAD_AUDIENCE':
      return 'audience'
    case 'ERR_BAD_SIGNATURE':
    case 'ERR_ALGORITHM_MISMATCH':
    case 'ERR_BAD_KEY':
      return 'signature'
    case 'ERR_ISSUER_NOT_AUTHORIZED':
    case 'ERR_FORCE_ISSUER_REFUSED':
    case 'ERR_DOMAIN_DISABLED':
      return 'issuer'
    case 'ERR_NO_SUPPORT_DOCUMENT':
    case 'ERR_BAD_SUPPORT_DOCUMENT':
    case 'ERR_SUPPORT_DOCUMENT_FETCH':
    case 'ERR_DELEGATION_LOOP':
    case 'ERR_DELEGATION_TOO_DEEP':
      return 'support_document'
    case 'ERR_UNVERIFIED_EMAIL':
      return 'unverified_email'
    case 'ERR_BAD_ARGUMENT':
    case 'ERR_BAD_REQUEST':
      return 'request'
    default:
      return 'internal'
  }
}

/**
 * Why a database operation failed (label `class` of persona_db_errors_total): the server unreachable or
 * refusing us, a timeout, a deadlock, a broken constraint, any other SQL error (a bug), or a replica that
 * did not catch up with a write in time (`stale`).
 */
export const DB_ERROR_CLASSES = [
  'unavailable',
  'timeout',
  'deadlock',
  'constraint',
  'query',
  'stale',
] as const
export type DbErrorClass = (typeof DB_ERROR_CLASSES)[number]

/** Outcomes of one support-document fetch at the proxy (label `outcome`). */
export const FETCH_OUTCOMES = ['ok', 'not_found', 'bad_document', 'refused', 'timeout', 'error'] as const

export const METRICS = {
  common: {
    build: BUILD_INFO,
    workers: PROCESS_WORKERS,
    requestDuration: HTTP_REQUEST_DURATION,
    securityEvents: SECURITY_EVENTS_TOTAL,
  },
  verifier: {
    verifications: counter(
      'persona_verifier_verifications_total',
      'assertions verified, by result (okay, failure, error, shed: 503 too busy) and reason class',
      ['result', 'reason'],
    ),
    duration: histogram(
      'persona_verifier_verification_duration_seconds',
      'time from request to answer of one verification, by result',
      ['result'],
      LATENCY_BUCKETS,
    ),
  },
  proxy: {
    fetches: counter(
      'persona_proxy_support_document_fetches_total',
      'support documents fetched from identity providers, by outcome',
      ['outcome'],
    ),
    refusals: counter(
      'persona_proxy_refusals_total',
      'outbound fetches refused by the address or domain policy, by reason',
      ['reason'],
    ),
    fetchDuration: histogram(
      'persona_proxy_fetch_duration_seconds',
      'time to fetch one support document from an identity provider, by outcome',
      ['outcome'],
      LATENCY_BUCKETS,
    ),
  },
  certifier: {
    issued: counter('persona_certifier_certificates_issued_total', 'user certificates signed'),
    failures: counter(
      'persona_certifier_signing_failures_total',
      'certificate requests refused or failed, by reason (bad_request, bad_key, internal)',
      ['reason'],
    ),
  },
  auth: {
    signups: counter(
      'persona_auth_signups_total',
      'accounts and addresses signed up, by kind (password, unverified, primary, address) and step (staged: a link was mailed; completed: the account or address exists)',
      ['kind', 'step'],
    ),
    signins: counter(
      'persona_auth_signins_total',
      'sign-in attempts by method (password, assertion) and result (ok, failed, locked)',
      ['method', 'result'],
    ),
    lockouts: counter(
      'persona_auth_lockouts_total',
      'password sign-ins refused because the account is locked out after repeated failures',
    ),
    bcryptQueue: gauge(
      'persona_auth_bcrypt_queue_depth',
      'password hashes waiting for a bcrypt worker',
      [],
      'sum',
    ),
  },
  mail: {
    sent: counter('persona_mail_sent_total', 'mails handed to the SMTP relay, by template', ['template']),
    failed: counter('persona_mail_failures_total', 'mails the SMTP relay refused or never took', [
      'template',
    ]),
  },
  db: {
    errors: counter(
      'persona_db_errors_total',
      'database operations that failed, by role (master, replica) and class (DB_ERROR_CLASSES)',
      ['role', 'class'],
    ),
    up: gauge(
      'persona_db_up',
      'whether the last probe of the database answered (1) or not (0)',
      ['role'],
      'min',
    ),
    gtidSequence: gauge(
      'persona_db_gtid_sequence',
      'the highest GTID sequence number of the database this process uses: the master a writer writes to (role master), the replica a reader reads (role replica)',
      ['role', 'domain_id'],
      'max',
    ),
  },
} as const

/** Every metric name in the catalogue (the tests check rules and dashboards against it). */
export function catalogNames(): string[] {
  return Object.values(METRICS).flatMap((area) => Object.values(area).map((spec) => spec.name))
}
