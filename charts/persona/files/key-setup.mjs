// SPDX-License-Identifier: MPL-2.0
// The chart's key-setup Job (run by node in the init image): makes the certifier's RSA signing key
// as a Secret, and its public half as another, through the Kubernetes API with the Job's own
// service account. Does nothing when both exist; rebuilds only the public half when it alone is gone.
import { createPublicKey, generateKeyPairSync } from 'node:crypto'
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
const bits = Number(env('KEY_BITS'))
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

async function main() {
  const existing = await getSecret(privateSecret)
  const existingPem = existing?.data?.[privateKey]
  if (existingPem !== undefined) {
    if ((await getSecret(publicSecret))?.data?.[publicKey] !== undefined) {
      console.log(`key-setup: ${privateSecret} and ${publicSecret} exist; nothing to do`)
      return
    }
    const pub = createPublicKey(Buffer.from(existingPem, 'base64').toString('utf8'))
    await putSecret(publicSecret, publicKey, pub.export({ type: 'spki', format: 'pem' }), true)
    console.log(`key-setup: ${publicSecret} rebuilt from the existing key`)
    return
  }
  if (existing !== undefined)
    throw new Error(`key-setup: secret ${privateSecret} exists without key ${privateKey}`)
  const pair = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 })
  const made = await putSecret(
    privateSecret,
    privateKey,
    pair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    false,
  )
  if (!made) {
    console.log(`key-setup: ${privateSecret} was made meanwhile; running again`)
    return main()
  }
  await putSecret(publicSecret, publicKey, pair.publicKey.export({ type: 'spki', format: 'pem' }), true)
  console.log(`key-setup: made ${privateSecret} (RSA ${bits}) and ${publicSecret}`)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})
