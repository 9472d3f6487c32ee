// SPDX-License-Identifier: MPL-2.0
// The verifier's service level objectives and their multi-window, multi-burn-rate alerts (the Google
// SRE workbook's recipe): a page when the 30-day error budget burns 14.4 times too fast over 1 h (and
// still over 5 min) or 6 times over 6 h (and 30 min); a ticket at 3 times over 1 day (and 2 h) or once
// over 3 days (and 6 h). Each SLI is a ratio of bad events per cluster.

export interface Slo {
  /** Short name, used in recording rules and the `slo` label. */
  readonly name: string
  readonly objective: number
  /** What the objective promises, in words (README and alert descriptions). */
  readonly statement: string
  /** What counts as a bad event, and why (the alerts' description annotation). */
  readonly counts: string
  /** PromQL of the bad-event rate and the all-event rate over `[$w]`, summed by cluster. */
  readonly bad: (w: string) => string
  readonly all: (w: string) => string
}

/** The latency threshold of the verification SLO: a bucket bound of LATENCY_BUCKETS. */
export const VERIFY_LATENCY_SECONDS = 0.05

export const SLOS: readonly Slo[] = [
  {
    name: 'verifier_availability',
    objective: 0.999,
    statement:
      '99.9% of verification requests (POST /verify) are answered, neither with an error nor shed (no 5xx), over 30 days',
    counts:
      'Bad: result error (a 5xx, our fault) and result shed (503 too busy: load shedding turned the request away). A shed request counts: the relying site got no verification, whatever the cause; shedding protects the latency of the rest, it does not make the refusals free. The verifier dashboard tells capacity (shed) from faults (error). Failures (a bad assertion, a bad request) are answers, not bad events.',
    bad: (w) => `sum by (cluster) (rate(persona_verifier_verifications_total{result=~"error|shed"}[${w}]))`,
    all: (w) => `sum by (cluster) (rate(persona_verifier_verifications_total[${w}]))`,
  },
  {
    name: 'verifier_latency',
    objective: 0.99,
    statement: `99% of valid assertions are verified within ${VERIFY_LATENCY_SECONDS * 1000} ms (measured in the verifier) over 30 days`,
    counts: `Bad: a valid assertion (result okay) answered in more than ${VERIFY_LATENCY_SECONDS * 1000} ms. Failures, errors and shed requests are outside this SLI (the availability SLO counts errors and shed ones).`,
    bad: (w) =>
      `(sum by (cluster) (rate(persona_verifier_verification_duration_seconds_count{result="okay"}[${w}])) - sum by (cluster) (rate(persona_verifier_verification_duration_seconds_bucket{result="okay",le="${VERIFY_LATENCY_SECONDS}"}[${w}])))`,
    all: (w) =>
      `sum by (cluster) (rate(persona_verifier_verification_duration_seconds_count{result="okay"}[${w}]))`,
  },
]

export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const
export type BurnWindow = (typeof BURN_WINDOWS)[number]

/** The recording rule name of an SLO's bad-event ratio over a window. */
export function ratioRecord(slo: Slo, w: BurnWindow): string {
  return `persona:${slo.name}:burn_ratio_rate${w}`
}

/** Page and ticket conditions: [long window, short window, burn factor]. */
export const BURN_ALERTS = {
  page: [
    ['1h', '5m', 14.4],
    ['6h', '30m', 6],
  ],
  ticket: [
    ['1d', '2h', 3],
    ['3d', '6h', 1],
  ],
} as const satisfies Record<string, readonly (readonly [BurnWindow, BurnWindow, number])[]>

/** The alert expression for one severity: any pair of windows both over the burn factor. */
export function burnExpr(slo: Slo, severity: keyof typeof BURN_ALERTS): string {
  const budget = Number((1 - slo.objective).toPrecision(6))
  return BURN_ALERTS[severity]
    .map(
      ([long, short, factor]) =>
        `(${ratioRecord(slo, long)} > (${factor} * ${budget}) and ${ratioRecord(slo, short)} > (${factor} * ${budget}))`,
    )
    .join('\nor\n')
}
