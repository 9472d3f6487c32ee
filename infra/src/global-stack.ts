// SPDX-License-Identifier: MPL-2.0
// The global stack: the public DNS zone every cluster's records and health checks go into, and the
// ACM validation records of the service names. Applied first; its zone_id output is the cluster stacks'
// dns_zone_id variable.
import {
  AcmCertificate,
  AcmCertificateValidation,
  AwsProvider,
  type Construct,
  Route53Record,
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
    // ACM asks, for a name in an account, the same validation record of every certificate: owned here,
    // once, every cluster's certificate (in its own region) validates against it, and destroying a
    // cluster deletes none of it. This certificate (us-east-1, free) exists to learn the records.
    const cert = new AcmCertificate(this, 'cert', {
      domainName: settings.mainName,
      subjectAlternativeNames: [settings.verifierName],
      validationMethod: 'DNS',
      lifecycle: { createBeforeDestroy: true },
    })
    // One record per name. The names are known, so the records are too (a for_each over
    // domain_validation_options would have unknown keys at plan time).
    const dvoField = (domain: string, field: string) =>
      `\${[for o in ${cert.fqn}.domain_validation_options : o.${field} if o.domain_name == "${domain}"][0]}`
    const records = [settings.mainName, settings.verifierName].map(
      (domain, i) =>
        new Route53Record(this, `cert-validation-${i}`, {
          zoneId: zone.zoneId,
          name: dvoField(domain, 'resource_record_name'),
          type: dvoField(domain, 'resource_record_type'),
          records: [dvoField(domain, 'resource_record_value')],
          ttl: 300,
        }),
    )
    new AcmCertificateValidation(this, 'cert-valid', {
      certificateArn: cert.arn,
      validationRecordFqdns: records.map((r) => r.fqdn),
    })
    new TerraformOutput(this, 'zone_id', { value: zone.zoneId })
    new TerraformOutput(this, 'name_servers', { value: zone.nameServers })
  }
}
