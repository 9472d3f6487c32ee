// SPDX-License-Identifier: MPL-2.0
// @persona/browserid: the pure BrowserID protocol library (keys, signed objects, support documents,
// verification). No network, no files, no clock it is not given; node:crypto does the arithmetic.

export { type Audience, compareAudiences, normalizeAudience, parseAudience } from './audience.ts'
export {
  type AssertionParams,
  bundleAssertion,
  type CertificateParams,
  signAssertion,
  signCertificate,
  signCertificateAsync,
  unbundle,
} from './certificate.ts'
export { DSA_GROUPS } from './dsa-params.ts'
export {
  domainFromEmail,
  EMAIL_PATTERN,
  HOSTNAME_PATTERN,
  isValidEmail,
  isValidHostname,
  MAX_EMAIL_LENGTH,
  MAX_HOSTNAME_LENGTH,
} from './email.ts'
export {
  BROWSERID_ERROR_CODES,
  BrowserIdError,
  type BrowserIdErrorCode,
  failure,
  isFailure,
  type VerifyFailure,
} from './errors.ts'
export { type DecodedJws, decodeJws, signJws, signJwsAsync, verifyJwsSignature } from './jws.ts'
export {
  ALGORITHMS,
  type Algorithm,
  type DsPublicKeyJSON,
  type DsSecretKeyJSON,
  generateKeyPair,
  isAlgorithm,
  loadPublicKey,
  loadSecretKey,
  PublicKey,
  type PublicKeyJSON,
  type RsPublicKeyJSON,
  type RsSecretKeyJSON,
  SecretKey,
  type SecretKeyJSON,
} from './keys.ts'
export {
  checkSupport,
  FINDING_CODES,
  type Finding,
  type FindingArgs,
  type FindingCode,
  type Severity,
  type SupportCheck,
  type SupportFetch,
  type Verdict,
  WEAK_RSA_BITS,
} from './support-check.ts'
export {
  type DelegationDocument,
  type DisabledDocument,
  MAX_SUPPORT_DOCUMENT_LENGTH,
  parseSupportDocument,
  parseSupportDocumentResult,
  type SupportDocument,
  type SupportDocumentProblem,
  type SupportDocumentResult,
  type SupportedDocument,
} from './support-document.ts'
export {
  type Authority,
  type ClaimOptions,
  checkClaims,
  DEFAULT_SKEW_MS,
  FetchedSupportDocument,
  type IssuerKey,
  MAX_AUTHORITY_DELEGATIONS,
  MAX_BUNDLE_LENGTH,
  MAX_CERTIFICATES,
  type ParsedBundle,
  type ParseOptions,
  parseBundle,
  type ResolveOptions,
  resolveAuthority,
  resolveIssuerKey,
  type SignatureOptions,
  type SupportDocumentFetcher,
  type VerifyOkay,
  type VerifyOptions,
  type VerifyResult,
  verifyAssertion,
  verifyChainSignatures,
} from './verify.ts'
