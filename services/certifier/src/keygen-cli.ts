// SPDX-License-Identifier: MPL-2.0
// `node services/certifier/src/keygen-cli.ts --dir <dir>`: creates the certifier's key pair in <dir>
// unless one is there, and prints the two paths (never the key).
import { parseArgs } from 'node:util'
import { ensureKeys } from './keygen.ts'

const { values } = parseArgs({ options: { dir: { type: 'string' } }, strict: true })
if (values.dir === undefined || values.dir === '') {
  process.stderr.write('usage: keygen-cli.ts --dir <dir>\n')
  process.exit(2)
}
const files = await ensureKeys(values.dir)
process.stdout.write(
  `CERTIFIER_PRIVATE_KEY_FILE=${files.privateKeyFile}\nPUBLIC_KEY_FILE=${files.publicKeyFile}\n`,
)
