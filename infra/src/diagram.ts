// SPDX-License-Identifier: MPL-2.0
// `make infra-diagram`: draws the clusters, their host classes (with what runs on each) and the allowed
// flows between them from the same data the stacks are built from, as Graphviz DOT rendered to
// infra/diagram.svg. `node infra/src/diagram.ts --dot` prints the DOT source instead.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { FLOWS, HOST_CLASSES, type HostClass } from '@persona/kit/topology'
import { CLUSTERS, type ClusterSpec, SETTINGS, type Settings } from './clusters.ts'
import { crossRegionFlows, dataPlaneOf, isHome, MASTER_NAME } from './data-plane.ts'
import { classFlows, partsOf } from './privileges.ts'

const q = (s: string) => `"${s.replace(/"/g, '\\"')}"`

export function diagramDot(
  clusters: readonly ClusterSpec[] = CLUSTERS,
  settings: Settings = SETTINGS,
): string {
  const flows = classFlows(FLOWS, settings.smtpRelay.port)
  const dp = dataPlaneOf(clusters)
  const lines = [
    'digraph persona {',
    '  rankdir=LR; compound=true; fontname="Helvetica"; node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
    `  internet [label="internet", shape=ellipse];`,
    `  dns [label=${q(`Route53 ${settings.zoneName}\nlatency records: ${settings.mainName}, ${settings.verifierName}\nhealth check per cluster: /__heartbeat__`)}, shape=note];`,
    '  internet -> dns [style=dotted, arrowhead=none];',
  ]
  for (const c of clusters) {
    const id = (x: string) => q(`${c.name}:${x}`)
    lines.push(
      `  subgraph ${q(`cluster_${c.name}`)} {`,
      `    label=${q(`${c.name} (${c.region}: ${c.zones.join(', ')})${c.inDns ? '' : ' - OUT OF DNS'}`)}; style=rounded;`,
      `    ${id('lb')} [label="public load balancer\\n443 TLS", shape=box, style=filled, fillcolor="#e8f0fe"];`,
    )
    for (const cls of HOST_CLASSES) {
      const size = settings.hostClasses[cls]
      const count =
        cls !== 'db'
          ? `${size.hosts}-${size.maxHosts}`
          : isHome(dp, c)
            ? `${size.hosts} (1 master, ${size.hosts - 1} replicas)`
            : `${size.hosts} (replicas)`
      const label = `${cls} x ${count}\n${size.instanceType}\n${partsOf(cls).join(', ')}`
      lines.push(`    ${id(cls)} [label=${q(label)}, shape=box3d];`)
    }
    lines.push(`    ${id('smtp')} [label="SES SMTP endpoint", shape=box, style=dashed];`, '  }')
    lines.push(
      `  dns -> ${id('lb')} [label=${q(c.inDns ? 'in DNS' : 'switched out')}, style=${c.inDns ? 'solid' : 'dashed'}];`,
    )
    const node = (n: HostClass | 'internet' | 'smtp', cls?: HostClass) =>
      n === 'internet' ? 'internet' : n === 'smtp' ? id('smtp') : cls ? id(cls) : id(n)
    for (const f of flows) {
      if (f.from === 'internet') {
        lines.push(
          `  internet -> ${id('lb')} [label="443"];`,
          `  ${id('lb')} -> ${node(f.to)} [label=${q(String(f.port))}];`,
        )
        continue
      }
      const via = f.toService ? ' (internal LB)' : ''
      lines.push(`  ${node(f.from)} -> ${node(f.to)} [label=${q(`${f.port}${via}`)}];`)
    }
  }
  // One data plane: writers and replicas of every cluster reach the db hosts of every other (the master
  // may be in any after a failover), over VPC peering, for MySQL only; one master name, one set of secrets.
  const across = crossRegionFlows(FLOWS)
  lines.push(
    `  dataplane [label=${q(`one data plane: master ${MASTER_NAME} (home: ${dp.home.name})\nsecrets made once, replicated to every region`)}, shape=note];`,
  )
  for (const a of clusters) {
    lines.push(`  dataplane -> ${q(`${a.name}:db`)} [style=dotted, arrowhead=none];`)
    for (const b of clusters) {
      if (a.name === b.name) continue
      for (const cls of across.clients)
        lines.push(
          `  ${q(`${a.name}:${cls}`)} -> ${q(`${b.name}:${across.server}`)} [label=${q(`${across.port} (VPC peering)`)}, style=dashed, color="#b06000"];`,
        )
    }
  }
  lines.push('}')
  return `${lines.join('\n')}\n`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dot = diagramDot()
  if (process.argv.includes('--dot')) process.stdout.write(dot)
  else {
    const out = fileURLToPath(new URL('../diagram.svg', import.meta.url))
    const svg = execFileSync('dot', ['-Tsvg'], { input: dot }).toString()
    // A title as the svg's first child: the accessible name (and what biome's a11y rule asks for).
    writeFileSync(
      out,
      svg.replace(/(<svg[^>]*>)/, '$1\n<title>Persona clusters, host classes and allowed flows</title>'),
    )
    process.stdout.write(`wrote ${out}\n`)
  }
}
