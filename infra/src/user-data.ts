// SPDX-License-Identifier: MPL-2.0
// The boot script of a host, rendered from the deployment contract (deploy/src): for each part its
// class runs, the env the contract gives it on this cluster (env.ts, an EC2 site), its secrets as files
// read with the host's role into tmpfs and mounted read-only into that container alone, its image from
// the stack's repositories, its user and hardening. The init host fills Secrets Manager (every secret
// that has no value yet) and makes the database accounts and schema. The script names secrets by ARN
// and never carries a value. It avoids `${` and `%{`: the text passes through a Terraform string.

import { partEnv, type Site } from '@persona/deploy/env'
import { IMAGES, type ImageName } from '@persona/deploy/images'
import {
  CONTAINER_PATHS,
  HARDENING,
  PART_SPECS,
  type PartName,
  PRIVATE_KEY_FILE_NAME,
  PUBLIC_KEY_FILE_NAME,
  RUN_AS,
  secretFilesOf,
} from '@persona/deploy/parts'
import { SECRET_NAMES, SECRETS, type SecretName } from '@persona/kit/topology'

/** Not a secret, stored beside the key so that init writes both: the certifier's public key. */
export type StoredName = SecretName | 'publicKey'

export interface BootInput {
  readonly cluster: string
  readonly region: string
  /** A host class, or the one-shot init host. */
  readonly hostClass: string
  readonly parts: readonly PartName[]
  /** The image tag every part runs (the stack's image_tag variable). */
  readonly imageTag: string
  /** Registry host of the stack's repositories, and each image's repository URL. */
  readonly registry: string
  readonly repoOf: (image: ImageName) => string
  /** Secrets Manager ARN of each stored value of this cluster. */
  readonly secretArn: (name: StoredName) => string
  /** How this cluster addresses everything (contract site). */
  readonly site: Site
  readonly logGroup: string
  /** init host: the IAM user whose key becomes the writer's SES SMTP account. */
  readonly smtpIamUser?: string
  /**
   * init host of a cluster beside the home cluster (infra/src/data-plane.ts): the home region's init
   * makes the shared values and the database; this one waits for them to be replicated and makes only
   * `regional` ones (its SES account).
   */
  readonly beside?: { readonly home: string; readonly regional: readonly StoredName[] }
}

const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`

/** `docker run` flags of the contract's user and hardening. */
export function hardeningFlags(): string[] {
  return [
    ...(HARDENING.readOnlyRootFilesystem ? ['--read-only'] : []),
    ...HARDENING.tmpfs.map((t) => `--tmpfs ${t}`),
    ...HARDENING.capDrop.map((c) => `--cap-drop ${c}`),
    ...(HARDENING.noNewPrivileges ? ['--security-opt no-new-privileges'] : []),
    `--user ${RUN_AS.uid}:${RUN_AS.gid}`,
  ]
}

const PREAMBLE = [
  'set -euo pipefail',
  'umask 077',
  'say() { echo "persona-boot: $*"; }',
  'TOKEN=$(curl -sf -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")',
  'imds() { curl -sf -H "X-aws-ec2-metadata-token: $TOKEN" "http://169.254.169.254/latest/$1"; }',
  'INSTANCE=$(imds meta-data/instance-id)',
  'LOCAL_IP=$(imds meta-data/local-ipv4)',
  '# Docker: on the AMI, or from the distribution.',
  'command -v docker >/dev/null 2>&1 || dnf install -y docker',
  'docker info >/dev/null 2>&1 || systemctl enable --now docker',
  '# A stored value, waiting while the init host (booting beside this one) has not put it yet.',
  'secret_now() { aws secretsmanager get-secret-value --region "$REGION" --secret-id "$1" --query SecretString --output text 2>/dev/null; }',
  'secret() {',
  '  local i',
  '  for i in $(seq 1 180); do secret_now "$1" && return 0; sleep 5; done',
  '  say "secret $1 has no value after 15 minutes"; return 1',
  '}',
  `# secret_file ARN PATH: the value into a file only the run-as user (uid ${RUN_AS.uid}) reads.`,
  `secret_file() { secret "$1" > "$2.tmp"; chown ${RUN_AS.uid}:${RUN_AS.gid} "$2.tmp"; chmod 0400 "$2.tmp"; mv "$2.tmp" "$2"; }`,
  'aws ecr get-login-password --region "$REGION" | docker login --username AWS --password-stdin "$REGISTRY"',
  '# An image, waiting while it is not pushed yet (`make push` may follow the apply that made the repositories).',
  'pull() {',
  '  local i',
  '  for i in $(seq 1 180); do docker pull -q "$1" >/dev/null 2>&1 && return 0; sleep 10; done',
  '  say "image $1 is not in the registry after 30 minutes"; return 1',
  '}',
  'install -d -m 0755 /run/persona',
]

function envFile(path: string, env: Readonly<Record<string, string>>): string[] {
  for (const [k, v] of Object.entries(env)) {
    // A Terraform token (${TfToken[...]}) becomes a plain value at apply; a shell variable would not.
    if (/[\n\r]/.test(v) || /\$(?!\{TfToken\[)/.test(v))
      throw new Error(`env ${k}: not a plain value for an env file`)
  }
  return [`cat > ${path} <<'PERSONA_ENV'`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'PERSONA_ENV']
}

function runLine(part: PartName, input: BootInput, mounts: string[], extra: string[] = []): string {
  const image = PART_SPECS[part].image
  const pull = `pull "$REGISTRY/persona-${image}:$IMAGE_TAG"\n`
  return `${pull}${[
    `docker run -d --name ${part} --restart always --network host`,
    hardeningFlags().join(' '),
    `--log-driver awslogs --log-opt awslogs-region=$REGION --log-opt awslogs-group=${input.logGroup} --log-opt awslogs-stream=${part}-$INSTANCE`,
    `--env-file /run/persona/${part}/env`,
    ...mounts.map((m) => `-v ${m}`),
    ...extra,
    `"$REGISTRY/persona-${image}:$IMAGE_TAG"`,
  ].join(' \\\n  ')}`
}

/** Lines that put a part's secrets into `/run/persona/<part>/secrets`, one file each. */
function secretLines(part: PartName, input: BootInput): string[] {
  const files = secretFilesOf(part).filter((s) => !('provided' in SECRETS[s.secret]))
  const optional = secretFilesOf(part).filter((s) => 'provided' in SECRETS[s.secret])
  if (files.length + optional.length === 0) return []
  const dir = `/run/persona/${part}/secrets`
  return [
    `install -d -m 0700 -o ${RUN_AS.uid} -g ${RUN_AS.gid} ${dir}`,
    ...files.map((s) => `secret_file ${q(input.secretArn(s.secret))} ${dir}/${s.file}`),
    ...optional.map((s) => `secret_file ${q(input.secretArn(s.secret))} ${dir}/${s.file}`),
  ]
}

function partLines(part: PartName, input: BootInput): string[] {
  const spec = PART_SPECS[part]
  const env = partEnv(part, input.site)
  const lines = [`# ---- ${part}: ${spec.description}`, `install -d -m 0700 /run/persona/${part}`]
  lines.push(...secretLines(part, input))
  const mounts: string[] = []
  if (secretFilesOf(part).length > 0)
    mounts.push(`/run/persona/${part}/secrets:${CONTAINER_PATHS.secretsDir}:ro`)
  const extra: string[] = []
  for (const f of spec.files) {
    if (f.what === 'public-key') mounts.push(`/run/persona/public:${CONTAINER_PATHS.publicKeyDir}:ro`)
    if (f.what === 'tls') mounts.push(`/run/persona/tls:${CONTAINER_PATHS.tlsDir}:ro`)
    if (f.what === 'db-data') mounts.push(`/var/lib/persona-db:${CONTAINER_PATHS.dbDataDir}`)
  }
  if (part === 'db-master' || part === 'db-replica') {
    // Replication needs a server id unique in the whole topology: the host's address, as a number.
    delete env.PERSONA_DB_SERVER_ID
    extra.push('-e PERSONA_DB_SERVER_ID="$SERVER_ID"')
  }
  lines.push(...envFile(`/run/persona/${part}/env`, env), runLine(part, input, mounts, extra))
  return lines
}

/** The webhead's own pieces: the public key and nginx's TLS (the load balancer -> nginx hop). */
function webheadLines(input: BootInput): string[] {
  return [
    "# The public key (reader and verifier read it) and nginx's certificate for the load balancer hop",
    '# (a host-local self-signed one: the load balancer does not verify targets).',
    'install -d -m 0755 /run/persona/public',
    `secret_file ${q(input.secretArn('publicKey'))} /run/persona/public/${PUBLIC_KEY_FILE_NAME}`,
    `chmod 0444 /run/persona/public/${PUBLIC_KEY_FILE_NAME}`,
    `install -d -m 0700 -o ${RUN_AS.uid} -g ${RUN_AS.gid} /run/persona/tls`,
    'openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$INSTANCE" \\',
    '  -keyout /run/persona/tls/key.pem -out /run/persona/tls/cert.pem 2>/dev/null',
    `chown ${RUN_AS.uid}:${RUN_AS.gid} /run/persona/tls/key.pem /run/persona/tls/cert.pem`,
    `# nginx listens on 443 as uid ${RUN_AS.uid} on the host network.`,
    'sysctl -w net.ipv4.ip_unprivileged_port_start=443',
  ]
}

function dbLines(): string[] {
  return [
    '# A db host is a master or a replica: the instance tag persona-db-role says which.',
    'ROLE=$(imds meta-data/tags/instance/persona-db-role)',
    'IFS=. read -r o1 o2 o3 o4 <<< "$LOCAL_IP"',
    'SERVER_ID=$(( (o1 << 24) + (o2 << 16) + (o3 << 8) + o4 ))',
    `install -d -m 0700 -o ${RUN_AS.uid} -g ${RUN_AS.gid} /var/lib/persona-db`,
  ]
}

/** Where init keeps each stored value it holds, under its root (/run/persona/init-root on the host). */
function initPath(name: StoredName): string {
  if (name === 'publicKey') return `public/${PUBLIC_KEY_FILE_NAME}`
  if (name === 'certifierPrivateKey') return `certifier/${PRIVATE_KEY_FILE_NAME}`
  return `init/${SECRETS[name].env}`
}

/** The SES SMTP account of this region: lines that make it when it has no value yet. */
function smtpAccountLines(input: BootInput, root: string): string[] {
  if (input.smtpIamUser === undefined) return []
  return [
    "# The writer's SES SMTP account: an access key of the stack's SMTP user, turned into SMTP credentials.",
    `if ! secret_now ${q(input.secretArn('smtpPassword'))} >/dev/null; then`,
    `  read -r KEY_ID KEY_SECRET < <(aws iam create-access-key --user-name ${q(input.smtpIamUser)} --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)`,
    '  [ -n "$KEY_ID" ] && [ -n "$KEY_SECRET" ] || { say "no access key for the SES SMTP user"; exit 1; }',
    `  printf '%s' "$KEY_ID" > ${root}/provided/SMTP_USER`,
    `  printf '%s' "$KEY_SECRET" | docker run --rm -i ${hardeningFlags().join(' ')} --network none "$REGISTRY/persona-init:$IMAGE_TAG" node docker/init/init.ts ses-smtp-password "$REGION" > ${root}/provided/SMTP_PASS`,
    `  chown ${RUN_AS.uid} ${root}/provided/*`,
    '  unset KEY_SECRET',
    '  MADE="$MADE smtpUser smtpPassword"',
    'fi',
  ]
}

/** A cluster beside the home cluster: shared values arrive replicated; only regional ones are made. */
function besideInitLines(input: BootInput, beside: NonNullable<BootInput['beside']>): string[] {
  const root = '/run/persona/init-root'
  const stored = input.smtpIamUser === undefined ? [] : beside.regional
  return [
    `# ---- init: beside the home cluster (${beside.home}): the shared values are made there, once, and`,
    "# replicated here by Secrets Manager (the hosts wait for them); the database is the home cluster's.",
    "# This init host makes only this region's own values, and reads no shared one.",
    `install -d -m 0700 -o ${RUN_AS.uid} -g ${RUN_AS.gid} ${root}/provided`,
    'MADE=""',
    'pull "$REGISTRY/persona-init:$IMAGE_TAG"',
    ...smtpAccountLines(input, root),
    ...stored.map(
      (name) =>
        `case " $MADE " in *" ${name} "*) aws secretsmanager put-secret-value --region "$REGION" --secret-id ${q(input.secretArn(name))} --secret-string file://${root}/provided/${name === 'publicKey' ? '' : SECRETS[name].env} >/dev/null ;; esac`,
    ),
    `rm -rf ${root}`,
    'say "init done"',
    'command -v shutdown >/dev/null 2>&1 && shutdown -h +1 || true',
  ]
}

/** The init host: Secrets Manager filled, then the database accounts and schema. */
function initLines(input: BootInput): string[] {
  if (input.beside !== undefined) return besideInitLines(input, input.beside)
  const held = SECRET_NAMES.filter((s) => {
    const holders: readonly string[] = SECRETS[s].holders
    return holders.includes('init')
  })
  const made: StoredName[] = [...held.filter((s) => !('provided' in SECRETS[s])), 'publicKey']
  const holders = [...new Set(SECRET_NAMES.flatMap((s) => [...SECRETS[s].holders]))]
  const root = '/run/persona/init-root'
  const env = partEnv('init', input.site)
  const run = (args: string, cmd: string) =>
    [
      `docker run --rm ${hardeningFlags().join(' ')} ${args}`,
      `"$REGISTRY/persona-init:$IMAGE_TAG" node docker/init/init.ts ${cmd}`,
    ].join(' \\\n  ')
  const lines = [
    '# ---- init: every secret that has no value yet, then the database accounts and schema.',
    `for d in ${[...holders, 'public', 'provided'].join(' ')}; do install -d -m 0700 -o ${RUN_AS.uid} -g ${RUN_AS.gid} ${root}/$d; done`,
    '# The init image first: the SES SMTP password below is computed by it (waits for `make push`).',
    'pull "$REGISTRY/persona-init:$IMAGE_TAG"',
    '# What exists is kept: read back, never made again.',
    'MADE=""',
  ]
  for (const name of made) {
    lines.push(
      `if secret_now ${q(input.secretArn(name))} > ${root}/${initPath(name)}; then chown ${RUN_AS.uid} ${root}/${initPath(name)}; else rm -f ${root}/${initPath(name)}; MADE="$MADE ${name}"; fi`,
    )
  }
  lines.push(...smtpAccountLines(input, root))
  lines.push(run(`--network none -v ${root}:${CONTAINER_PATHS.initRoot}`, 'secrets'))
  const stored: StoredName[] = [
    ...made,
    ...(input.smtpIamUser === undefined ? [] : (['smtpUser', 'smtpPassword'] as const)),
  ]
  lines.push('# Every value made now goes to Secrets Manager (only there do the other hosts read it).')
  for (const name of stored) {
    lines.push(
      `case " $MADE " in *" ${name} "*) aws secretsmanager put-secret-value --region "$REGION" --secret-id ${q(input.secretArn(name))} --secret-string file://${root}/${initPath(name)} >/dev/null ;; esac`,
    )
  }
  lines.push(
    'install -d -m 0700 /run/persona/init',
    ...envFile('/run/persona/init/env', env),
    run(
      `--network host --env-file /run/persona/init/env -v ${root}/init:${CONTAINER_PATHS.initRoot}/init:ro`,
      'db',
    ),
    `rm -rf ${root}`,
    'say "init done"',
    '# One-shot: the instance stops (its shutdown behaviour), where the platform can.',
    'command -v shutdown >/dev/null 2>&1 && shutdown -h +1 || true',
  )
  return lines
}

/** The whole script for one host class (or the init host) of one cluster. */
export function bootScript(input: BootInput): string {
  for (const p of input.parts) if (!IMAGES.includes(PART_SPECS[p].image)) throw new Error(`no image for ${p}`)
  const out = [
    '#!/bin/bash',
    `# Persona ${input.hostClass} host, cluster ${input.cluster}: generated by infra/src/user-data.ts from the`,
    '# deployment contract (deploy/src). Secrets are read at boot with the instance role into /run/persona',
    '# (tmpfs), one file each, mounted read-only into the one container that holds it; none is written here.',
    `REGION=${input.region}`,
    `IMAGE_TAG=${input.imageTag}`,
    `REGISTRY=${input.registry}`,
    ...PREAMBLE,
  ]
  if (input.parts.includes('init')) return `${[...out, ...initLines(input)].join('\n')}\n`
  if (input.parts.includes('nginx')) out.push(...webheadLines(input))
  if (input.parts.includes('db-master')) out.push(...dbLines())
  for (const part of input.parts) {
    const lines = partLines(part, input)
    if (part === 'db-master' || part === 'db-replica') {
      out.push(`if [ "$ROLE" = ${part === 'db-master' ? 'master' : 'replica'} ]; then`, ...lines, 'fi')
    } else out.push(...lines)
  }
  out.push(`say "${input.hostClass} host started: ${input.parts.join(' ')}"`)
  return `${out.join('\n')}\n`
}
