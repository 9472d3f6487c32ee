// SPDX-License-Identifier: MPL-2.0
// Docker HEALTHCHECK of the Node images (no curl in slim images): GET $HEALTH_URL, healthy on 2xx.
const url = process.env.HEALTH_URL
if (url === undefined || url === '') process.exit(0)
fetch(url, { signal: AbortSignal.timeout(2500) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
)
