// SPDX-License-Identifier: MPL-2.0
// Validates rendered objects against the Kubernetes API schemas twice: the kubernetes-models
// validators (types, formats, required fields) and a strict walk over @kubernetes/client-node's type
// map that rejects every field the API does not define (kubernetes-models lets unknown fields pass).
import * as k8s from '@kubernetes/client-node'
import { validate as httpRoute } from '@kubernetes-models/gateway-api/_schemas/IoK8sSigsGatewayApiApisV1HTTPRoute'
import { validate as deployment } from 'kubernetes-models/_schemas/IoK8sApiAppsV1Deployment'
import { validate as hpa } from 'kubernetes-models/_schemas/IoK8sApiAutoscalingV2HorizontalPodAutoscaler'
import { validate as job } from 'kubernetes-models/_schemas/IoK8sApiBatchV1Job'
import { validate as configMap } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap'
import { validate as secret } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Secret'
import { validate as service } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Service'
import { validate as serviceAccount } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ServiceAccount'
import { validate as ingress } from 'kubernetes-models/_schemas/IoK8sApiNetworkingV1Ingress'
import { validate as networkPolicy } from 'kubernetes-models/_schemas/IoK8sApiNetworkingV1NetworkPolicy'
import { validate as pdb } from 'kubernetes-models/_schemas/IoK8sApiPolicyV1PodDisruptionBudget'
import { validate as role } from 'kubernetes-models/_schemas/IoK8sApiRbacV1Role'
import { validate as roleBinding } from 'kubernetes-models/_schemas/IoK8sApiRbacV1RoleBinding'
import { isObj, type Manifest } from './render.ts'

interface KindSpec {
  readonly validate: (data: unknown) => boolean
  /** client-node model class for the strict field walk; undefined for CRDs it does not know. */
  readonly model: string | undefined
}

/** Every apiVersion/kind the chart may render. Anything else is itself an error. */
const KINDS: Readonly<Record<string, KindSpec>> = {
  'apps/v1/Deployment': { validate: deployment, model: 'V1Deployment' },
  'autoscaling/v2/HorizontalPodAutoscaler': { validate: hpa, model: 'V2HorizontalPodAutoscaler' },
  'batch/v1/Job': { validate: job, model: 'V1Job' },
  'v1/ConfigMap': { validate: configMap, model: 'V1ConfigMap' },
  'v1/Secret': { validate: secret, model: 'V1Secret' },
  'v1/Service': { validate: service, model: 'V1Service' },
  'v1/ServiceAccount': { validate: serviceAccount, model: 'V1ServiceAccount' },
  'networking.k8s.io/v1/Ingress': { validate: ingress, model: 'V1Ingress' },
  'networking.k8s.io/v1/NetworkPolicy': { validate: networkPolicy, model: 'V1NetworkPolicy' },
  'policy/v1/PodDisruptionBudget': { validate: pdb, model: 'V1PodDisruptionBudget' },
  'rbac.authorization.k8s.io/v1/Role': { validate: role, model: 'V1Role' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { validate: roleBinding, model: 'V1RoleBinding' },
  'gateway.networking.k8s.io/v1/HTTPRoute': { validate: httpRoute, model: undefined },
}

interface Attr {
  readonly baseName: string
  readonly type: string
}

function attributesOf(type: string): readonly Attr[] | undefined {
  const cls: unknown = Reflect.get(k8s, type)
  if (typeof cls !== 'function') return undefined
  const getter: unknown = Reflect.get(cls, 'getAttributeTypeMap')
  if (typeof getter !== 'function') return undefined
  const map: unknown = getter.call(cls)
  if (!Array.isArray(map)) return undefined
  return map.filter(
    (a): a is Attr => isObj(a) && typeof a.baseName === 'string' && typeof a.type === 'string',
  )
}

const MAP_TYPE = /^\{ \[key: string\]: (.+); \}$/

/** Appends an error for every field of `value` that `type` does not define, recursively. */
export function unknownFields(value: unknown, type: string, path: string, errors: string[]): void {
  if (type.startsWith('Array<') && type.endsWith('>')) {
    if (!Array.isArray(value)) return
    value.forEach((v, i) => {
      unknownFields(v, type.slice(6, -1), `${path}[${i}]`, errors)
    })
    return
  }
  const mapOf = MAP_TYPE.exec(type)
  if (mapOf?.[1] !== undefined) {
    if (!isObj(value)) return
    for (const [k, v] of Object.entries(value)) unknownFields(v, mapOf[1], `${path}.${k}`, errors)
    return
  }
  const attrs = attributesOf(type)
  if (attrs === undefined || !isObj(value)) return
  for (const [k, v] of Object.entries(value)) {
    const attr = attrs.find((a) => a.baseName === k)
    if (attr === undefined) errors.push(`${path}.${k}: unknown field (not in ${type})`)
    else unknownFields(v, attr.type, `${path}.${k}`, errors)
  }
}

/** Every schema problem of one object, as readable lines; empty when it is valid. */
export function validateManifest(m: Manifest): string[] {
  const id = `${m.kind}/${m.metadata.name}`
  const spec = KINDS[`${m.apiVersion}/${m.kind}`]
  if (spec === undefined) return [`${id}: ${m.apiVersion} ${m.kind} is not a kind the tests know`]
  const errors: string[] = []
  if (!spec.validate(m)) {
    const raw: unknown = Reflect.get(spec.validate, 'errors')
    for (const e of Array.isArray(raw) ? raw : []) {
      if (isObj(e))
        errors.push(`${id}${String(e.instancePath)}: ${String(e.keyword)} ${JSON.stringify(e.params)}`)
    }
    if (errors.length === 0) errors.push(`${id}: invalid`)
  }
  if (spec.model !== undefined) unknownFields(m, spec.model, id, errors)
  return errors
}
