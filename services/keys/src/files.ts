// SPDX-License-Identifier: MPL-2.0
// Key files are replaced whole: a temporary file beside the target, synced, then renamed over it, so a
// reader (or a process reloading it) never sees half a key.
import { chmod, open, rename } from 'node:fs/promises'

export async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`
  const fh = await open(tmp, 'w', mode)
  try {
    await fh.writeFile(text)
    await fh.sync()
  } finally {
    await fh.close()
  }
  await chmod(tmp, mode)
  await rename(tmp, path)
}
