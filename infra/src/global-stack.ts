// SPDX-License-Identifier: MPL-2.0
// The global stack: the public DNS zone every cluster's records and health checks go into. Applied
// first; its zone_id output is the cluster stacks' dns_zone_id variable.
import {
  AwsProvider,
  type Construct,
  Route53Zone,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
} from './aws.ts'
import { applyBackend } from './backend.ts'
import type { Settings } from './clusters.ts'

export class GlobalStack extends TerraformStack {
  constructor(scope: Construct, id: string, settings: Settings) {
    super(scope, id)
    applyBackend(this, id, settings)
    const offline = new TerraformVariable(this, 'offline', {
      type: 'bool',
      default: false,
      description: 'true only for plan/validate without AWS (fake credentials): skips the provider checks',
    })
    new AwsProvider(this, 'aws', {
      region: 'us-east-1',
      skipCredentialsValidation: offline.booleanValue,
      skipRequestingAccountId: offline.booleanValue,
      skipMetadataApiCheck: offline.stringValue,
      defaultTags: [{ tags: { project: 'persona' } }],
    })
    const zone = new Route53Zone(this, 'zone', { name: settings.zoneName, comment: 'Persona public names' })
    new TerraformOutput(this, 'zone_id', { value: zone.zoneId })
    new TerraformOutput(this, 'name_servers', { value: zone.nameServers })
  }
}
