// SPDX-License-Identifier: MPL-2.0
// The chart's key-setup Job (run by node in the init image): makes the certifier's RS256 signing key
// as a Secret, and its public half as another, through the Kubernetes API with the Job's own
// service account. Does nothing when both exist; rebuilds only the public half when it alone is gone.
// Keys are in BrowserID JSON form ({algorithm:'RS', n, e[, d]}, decimal), as services/certifier's
// keygen writes them (root.secretkey.json / root.publickey.json).
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { request } from 'node:https'

const SA = '/var/run/secrets/kubernetes.io/serviceaccount'
const env = (name) => {
  const v = process.env[name]
  if (v === undefined || v === '') throw new Error(`key-setup: ${name} is not set`)
  return v
}
const namespace = readFileSync(`${SA}/namespace`, 'utf8').trim()
const token = readFileSync(`${SA}/token`, 'utf8').trim()
const ca = readFileSync(`${SA}/ca.crt`)
const apiHost = process.env.KUBERNETES_SERVICE_HOST ?? 'kubernetes.default.svc'
const apiPort = Number(process.env.KUBERNETES_SERVICE_PORT ?? '443')
const privateSecret = env('PRIVATE_KEY_SECRET')
const privateKey = env('PRIVATE_KEY_KEY')
const publicSecret = env('PUBLIC_KEY_SECRET')
const publicKey = env('PUBLIC_KEY_KEY')
// RS256 in jwcrypto's naming: a 2048-bit modulus.
const BITS = 2048
const labels = JSON.parse(env('SECRET_LABELS'))

/** One call to the API server; resolves with the status and the parsed body. */
function api(method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body)
    const req = request(
      {
        host: apiHost,
        port: apiPort,
        method,
        path,
        ca,
        timeout: 10000,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(data === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c) => {
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

const secretsPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`

async function getSecret(name) {
  const res = await api('GET', `${secretsPath}/${encodeURIComponent(name)}`)
  if (res.status === 404) return undefined
  if (res.status !== 200) throw new Error(`key-setup: reading secret ${name}: HTTP ${res.status}`)
  return res.body
}

function secretBody(name, key, value) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, labels },
    type: 'Opaque',
    data: { [key]: Buffer.from(value).toString('base64') },
  }
}

/** Creates the Secret; with `replace`, overwrites one that exists. */
async function putSecret(name, key, value, replace) {
  const body = secretBody(name, key, value)
  let res = await api('POST', secretsPath, body)
  if (res.status === 409 && replace)
    res = await api('PUT', `${secretsPath}/${encodeURIComponent(name)}`, body)
  if (res.status === 409) return false
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`key-setup: writing secret ${name}: HTTP ${res.status}`)
  return true
}

/** A base64url JWK field as the decimal string BrowserID JSON keys use. */
function decimal(b64url) {
  return BigInt(`0x${Buffer.from(b64url, 'base64url').toString('hex')}`).toString(10)
}

function generate() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: BITS, publicExponent: 0x10001 })
  const jwk = privateKey.export({ format: 'jwk' })
  const secret = { algorithm: 'RS', n: decimal(jwk.n), e: decimal(jwk.e), d: decimal(jwk.d) }
  return { secret: `${JSON.stringify(secret)}\n`, public: publicOf(secret) }
}

function publicOf(secret) {
  if (secret.algorithm !== 'RS' || typeof secret.n !== 'string' || typeof secret.e !== 'string') {
    throw new Error('key-setup: the existing private key is not a BrowserID RS key')
  }
  return `${JSON.stringify({ algorithm: 'RS', n: secret.n, e: secret.e })}\n`
}

async function main() {
  const existing = await getSecret(privateSecret)
  const existingKey = existing?.data?.[privateKey]
  if (existingKey !== undefined) {
    if ((await getSecret(publicSecret))?.data?.[publicKey] !== undefined) {
      console.log(`key-setup: ${privateSecret} and ${publicSecret} exist; nothing to do`)
      return
    }
    const pub = publicOf(JSON.parse(Buffer.from(existingKey, 'base64').toString('utf8')))
    await putSecret(publicSecret, publicKey, pub, true)
    console.log(`key-setup: ${publicSecret} rebuilt from the existing key`)
    return
  }
  if (existing !== undefined)
    throw new Error(`key-setup: secret ${privateSecret} exists without key ${privateKey}`)
  const pair = generate()
  const made = await putSecret(privateSecret, privateKey, pair.secret, false)
  if (!made) {
    console.log(`key-setup: ${privateSecret} was made meanwhile; running again`)
    return main()
  }
  await putSecret(publicSecret, publicKey, pair.public, true)
  console.log(`key-setup: made ${privateSecret} (RS256) and ${publicSecret}`)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})
