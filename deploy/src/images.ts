// SPDX-License-Identifier: MPL-2.0
// One naming scheme for every image: `<registry>/persona-<image>:<version>`, the version from
// `git describe` (never `latest`: the production repositories are immutable, a tag names one build).
// Compose, the Helm chart and the EC2 host boot all name images through imageRef().
import { execFileSync } from 'node:child_process'
import { SERVICES } from '@persona/kit/topology'

/** Images of the deployable parts (MariaDB master and replica share one; the init job has its own). */
export const IMAGES = [...SERVICES, 'nginx', 'mariadb', 'init'] as const
export type ImageName = (typeof IMAGES)[number]

/** Development-only images (compose's mail catcher and example site): built, never deployed. */
export const DEV_IMAGES = ['mailcatcher', 'example-rp'] as const
export type DevImageName = (typeof DEV_IMAGES)[number]

/**
 * Where images live when no registry is named: `.localhost` is reserved for loopback (RFC 6761), so a
 * stray `docker push` of a local build can never reach a real registry.
 */
export const LOCAL_REGISTRY = 'persona.localhost'

/** The repository name of an image (an ECR repository, a path in any registry): `persona-router`. */
export function repositoryName(image: ImageName | DevImageName): string {
  return `persona-${image}`
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9._-]+)*$/

/**
 * A version usable as an image tag, refusing `latest` (mutable by convention, refused by immutable
 * repositories on the second push).
 * @throws {Error} naming the bad value
 */
export function checkVersion(version: string): string {
  if (!TAG.test(version)) throw new Error(`image version ${JSON.stringify(version)} is not a valid tag`)
  if (version === 'latest') throw new Error('image version "latest" is refused: tag images with a version')
  return version
}

/** @throws {Error} when `registry` is not `host[:port][/path]` */
export function checkRegistry(registry: string): string {
  if (!REGISTRY.test(registry))
    throw new Error(`registry ${JSON.stringify(registry)} is not host[:port][/path]`)
  return registry
}

/** `<registry>/persona-<image>:<version>`. */
export function imageRef(registry: string, image: ImageName | DevImageName, version: string): string {
  return `${checkRegistry(registry)}/${repositoryName(image)}:${checkVersion(version)}`
}

/**
 * The version of the working tree: `git describe --tags --always --dirty` (a tag, a tag plus commits,
 * or the commit; `-dirty` with uncommitted changes), or $PERSONA_VERSION when set. Outside a git
 * checkout, with neither, it throws rather than invent one.
 */
export function sourceVersion(
  cwd: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const given = env.PERSONA_VERSION
  if (given !== undefined && given !== '') return checkVersion(given)
  let described: string
  try {
    described = execFileSync('git', ['describe', '--tags', '--always', '--dirty'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim()
  } catch (e) {
    throw new Error(`no version: not a git checkout and PERSONA_VERSION is unset (${String(e)})`)
  }
  return checkVersion(described)
}

/** The commit of the working tree (image label and PERSONA_REVISION), or `unknown`. */
export function sourceRevision(cwd: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim()
  } catch {
    return 'unknown'
  }
}
