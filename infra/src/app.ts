// SPDX-License-Identifier: MPL-2.0
// Builds the whole CDK for Terraform app from data: the global stack and one stack per cluster. Tests
// pass other clusters or flows (a mutated topology) and their own output directory.
import { FLOWS, type Flow } from '@persona/kit/topology'
import { App } from './aws.ts'
import { ClusterStack } from './cluster-stack.ts'
import { CLUSTERS, type ClusterSpec, checkClusters, SETTINGS, type Settings } from './clusters.ts'
import { dataPlaneOf } from './data-plane.ts'
import { GlobalStack } from './global-stack.ts'

export interface BuildOptions {
  readonly outdir: string
  readonly clusters?: readonly ClusterSpec[]
  readonly settings?: Settings
  readonly flows?: readonly Flow[]
}

export const GLOBAL_STACK = 'persona-global'
export const clusterStackName = (cluster: ClusterSpec): string => `persona-${cluster.name}`

export function buildApp(opts: BuildOptions): App {
  const clusters = opts.clusters ?? CLUSTERS
  const settings = opts.settings ?? SETTINGS
  checkClusters(clusters, settings)
  const app = new App({ outdir: opts.outdir, skipValidation: false })
  new GlobalStack(app, GLOBAL_STACK, settings)
  // One data plane: the first cluster is home to the master and the shared secrets (data-plane.ts).
  const dataPlane = dataPlaneOf(clusters)
  for (const cluster of clusters) {
    new ClusterStack(app, clusterStackName(cluster), {
      cluster,
      settings,
      flows: opts.flows ?? FLOWS,
      dataPlane,
    })
  }
  return app
}

/** Synthesizes into `outdir` (cdktf.out/stacks/<stack>/cdk.tf.json) and returns the stack names. */
export function synth(opts: BuildOptions): string[] {
  buildApp(opts).synth()
  const clusters = opts.clusters ?? CLUSTERS
  return [GLOBAL_STACK, ...clusters.map(clusterStackName)]
}
