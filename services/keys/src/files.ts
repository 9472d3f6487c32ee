// SPDX-License-Identifier: MPL-2.0
// Key files are replaced whole: a temporary file beside the target, synced, then renamed over it, so a
// reader (or a process reloading it) never sees half a key. A replaced file keeps its owner: an
// operator rotating as root must not leave the key unreadable to the service's own user.
import { chmod, open, rename, stat } from 'node:fs/promises'

async function ownerOf(path: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const st = await stat(path)
    return { uid: st.uid, gid: st.gid }
  } catch {
    return undefined
  }
}

export async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`
  const owner = await ownerOf(path)
  const fh = await open(tmp, 'w', mode)
  try {
    await fh.writeFile(text)
    await fh.sync()
    if (owner !== undefined && process.getuid?.() === 0) await fh.chown(owner.uid, owner.gid)
  } finally {
    await fh.close()
  }
  await chmod(tmp, mode)
  await rename(tmp, path)
}
