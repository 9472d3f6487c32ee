// SPDX-License-Identifier: MPL-2.0
// The Helm chart's key-setup Job (`init.ts k8s-keys`, in the init image): the certifier's signing key
// as a Secret and its public half as another, through the Kubernetes API with the Job's own service
// account. The key is made by the certifier's own key setup (services/certifier keygen: BrowserID JSON,
// RS256), as on every other target. Does nothing when both exist; rebuilds only the public half when it
// alone is gone; never replaces a private key.
import { readFileSync } from 'node:fs'
import { request } from 'node:https'
import { newKeyPairText, publicKeyTextOf } from '@persona/certifier/keygen'
import { type Static, Type } from 'typebox'

const SA = '/var/run/secrets/kubernetes.io/serviceaccount'

export const K8sKeysEnvSchema = Type.Object({
  PRIVATE_KEY_SECRET: Type.String({ minLength: 1, description: 'the Secret holding the private key' }),
  PRIVATE_KEY_KEY: Type.String({ minLength: 1, description: 'its key' }),
  PUBLIC_KEY_SECRET: Type.String({ minLength: 1, description: 'the Secret holding the public key' }),
  PUBLIC_KEY_KEY: Type.String({ minLength: 1, description: 'its key' }),
  SECRET_LABELS: Type.String({ default: '{}', description: 'labels of the Secrets made (JSON object)' }),
  KUBERNETES_SERVICE_HOST: Type.String({ default: 'kubernetes.default.svc', description: 'the API server' }),
  KUBERNETES_SERVICE_PORT: Type.Integer({ default: 443, description: 'its port' }),
})
export type K8sKeysEnv = Static<typeof K8sKeysEnvSchema>

interface ApiAnswer {
  readonly status: number
  readonly body: unknown
}

interface SecretObject {
  readonly data?: Readonly<Record<string, string>>
}

function isSecret(v: unknown): v is SecretObject {
  return typeof v === 'object' && v !== null
}

class Api {
  readonly #env: K8sKeysEnv
  readonly #token: string
  readonly #ca: Buffer
  readonly secrets: string

  constructor(env: K8sKeysEnv) {
    this.#env = env
    this.#token = readFileSync(`${SA}/token`, 'utf8').trim()
    this.#ca = readFileSync(`${SA}/ca.crt`)
    const ns = readFileSync(`${SA}/namespace`, 'utf8').trim()
    this.secrets = `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets`
  }

  call(method: string, path: string, body?: object): Promise<ApiAnswer> {
    const data = body === undefined ? undefined : JSON.stringify(body)
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.#env.KUBERNETES_SERVICE_HOST,
          port: this.#env.KUBERNETES_SERVICE_PORT,
          method,
          path,
          ca: this.#ca,
          timeout: 10_000,
          headers: {
            authorization: `Bearer ${this.#token}`,
            accept: 'application/json',
            ...(data === undefined ? {} : { 'content-type': 'application/json' }),
          },
        },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (c: string) => {
            text += c
          })
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: text === '' ? {} : JSON.parse(text) }),
          )
        },
      )
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)))
      req.on('error', reject)
      req.end(data)
    })
  }

  async get(name: string): Promise<SecretObject | undefined> {
    const res = await this.call('GET', `${this.secrets}/${encodeURIComponent(name)}`)
    if (res.status === 404) return undefined
    if (res.status !== 200 || !isSecret(res.body))
      throw new Error(`reading secret ${name}: HTTP ${res.status}`)
    return res.body
  }

  /** Creates the Secret; with `replace`, overwrites one that exists. False when it existed (no replace). */
  async put(name: string, key: string, value: string, labels: object, replace: boolean): Promise<boolean> {
    const body = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, labels },
      type: 'Opaque',
      data: { [key]: Buffer.from(value).toString('base64') },
    }
    let res = await this.call('POST', this.secrets, body)
    if (res.status === 409 && replace)
      res = await this.call('PUT', `${this.secrets}/${encodeURIComponent(name)}`, body)
    if (res.status === 409) return false
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`writing secret ${name}: HTTP ${res.status}`)
    return true
  }
}

/** Makes the key Secrets when absent; returns what it did, in one line. */
export async function k8sKeys(env: K8sKeysEnv): Promise<string> {
  const api = new Api(env)
  const labels: unknown = JSON.parse(env.SECRET_LABELS)
  const lbl = typeof labels === 'object' && labels !== null ? labels : {}
  const existing = await api.get(env.PRIVATE_KEY_SECRET)
  const existingKey = existing?.data?.[env.PRIVATE_KEY_KEY]
  if (existingKey !== undefined) {
    if ((await api.get(env.PUBLIC_KEY_SECRET))?.data?.[env.PUBLIC_KEY_KEY] !== undefined) {
      return `${env.PRIVATE_KEY_SECRET} and ${env.PUBLIC_KEY_SECRET} exist; nothing to do`
    }
    const pub = publicKeyTextOf(Buffer.from(existingKey, 'base64').toString('utf8'))
    await api.put(env.PUBLIC_KEY_SECRET, env.PUBLIC_KEY_KEY, pub, lbl, true)
    return `${env.PUBLIC_KEY_SECRET} rebuilt from the existing key`
  }
  if (existing !== undefined)
    throw new Error(`secret ${env.PRIVATE_KEY_SECRET} exists without key ${env.PRIVATE_KEY_KEY}`)
  const pair = await newKeyPairText()
  if (!(await api.put(env.PRIVATE_KEY_SECRET, env.PRIVATE_KEY_KEY, pair.secret, lbl, false))) {
    return k8sKeys(env) // made meanwhile by another run: take that one
  }
  await api.put(env.PUBLIC_KEY_SECRET, env.PUBLIC_KEY_KEY, pair.public, lbl, true)
  return `made ${env.PRIVATE_KEY_SECRET} (RS256) and ${env.PUBLIC_KEY_SECRET}`
}
