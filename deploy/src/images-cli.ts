// SPDX-License-Identifier: MPL-2.0
// `make images` / `make push`: builds every image from the one Dockerfile under the contract's names
// (`<registry>/persona-<image>:<version>`) and pushes them.
//   node deploy/src/images-cli.ts version                 the version images get (git describe)
//   node deploy/src/images-cli.ts list  [--registry R]    every image reference, one a line
//   node deploy/src/images-cli.ts build [--registry R] [--dev]   build (--dev: the mail catcher and example site too)
//   node deploy/src/images-cli.ts push  --registry R      tag the local build for R and push it
// --version V overrides git describe (or PERSONA_VERSION). Without buildx the classic builder is used.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  DEV_IMAGES,
  type DevImageName,
  IMAGES,
  type ImageName,
  imageRef,
  LOCAL_REGISTRY,
  sourceRevision,
  sourceVersion,
} from './images.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: 'inherit' })
    child.once('error', reject)
    child.once('exit', (code) => resolve(code ?? 1))
  })
}

async function quiet(cmd: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'ignore' })
    child.once('error', () => resolve(127))
    child.once('exit', (code) => resolve(code ?? 1))
  })
}

async function must(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<void> {
  const code = await run(cmd, args, env)
  if (code !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} ... exited ${code}`)
}

/** Runs `jobs` with at most `n` at a time; rejects with the first failure once all have settled. */
async function pool<T>(items: readonly T[], n: number, job: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items]
  const errors: unknown[] = []
  await Promise.all(
    Array.from({ length: Math.min(n, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
        await job(item).catch((e: unknown) => errors.push(e))
      }
    }),
  )
  if (errors.length > 0) throw errors[0]
}

async function build(registry: string, version: string, images: readonly (ImageName | DevImageName)[]) {
  const classic = (await quiet('docker', ['buildx', 'version'])) !== 0
  const env = classic ? { ...process.env, DOCKER_BUILDKIT: '0' } : process.env
  const revision = sourceRevision(ROOT)
  const t0 = Date.now()
  // One at a time: the stages they share are built once and cached for the rest.
  for (const image of images) {
    const ref = imageRef(registry, image, version)
    process.stdout.write(`images: building ${ref}\n`)
    await must(
      'docker',
      [
        'build',
        '--quiet',
        '--target',
        image,
        '--tag',
        ref,
        '--build-arg',
        `PERSONA_VERSION=${version}`,
        '--build-arg',
        `PERSONA_REVISION=${revision}`,
        '--label',
        `org.opencontainers.image.version=${version}`,
        '--label',
        `org.opencontainers.image.revision=${revision}`,
        '.',
      ],
      env,
    )
  }
  process.stdout.write(`images: ${images.length} built in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`)
}

async function push(registry: string, version: string, images: readonly ImageName[]) {
  const t0 = Date.now()
  await pool(images, 3, async (image) => {
    const local = imageRef(LOCAL_REGISTRY, image, version)
    const remote = imageRef(registry, image, version)
    if (remote !== local) {
      if ((await quiet('docker', ['image', 'inspect', remote])) !== 0)
        await must('docker', ['tag', local, remote])
    }
    await must('docker', ['push', '--quiet', remote])
  })
  process.stdout.write(
    `images: ${images.length} pushed to ${registry} in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`,
  )
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      registry: { type: 'string' },
      version: { type: 'string' },
      dev: { type: 'boolean', default: false },
    },
  })
  const version = values.version || sourceVersion(ROOT)
  const registry = values.registry || LOCAL_REGISTRY
  const deployable: readonly ImageName[] = IMAGES
  const all: readonly (ImageName | DevImageName)[] = values.dev ? [...IMAGES, ...DEV_IMAGES] : IMAGES
  switch (positionals[0]) {
    case 'version':
      process.stdout.write(`${version}\n`)
      return
    case 'list':
      for (const image of all) process.stdout.write(`${imageRef(registry, image, version)}\n`)
      return
    case 'build':
      return build(registry, version, all)
    case 'push':
      if (values.registry === undefined || values.registry === '')
        throw new Error('push needs --registry (make push REGISTRY=host[:port][/path])')
      return push(registry, version, deployable)
    default:
      throw new Error('usage: images-cli.ts version|list|build|push [--registry R] [--version V] [--dev]')
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`images: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
