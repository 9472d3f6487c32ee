// SPDX-License-Identifier: MPL-2.0
// Terraform state per stack: a local file by default (one per stack, git-ignored), or an S3 bucket
// with a DynamoDB lock table when the settings say so.
import { type Construct, LocalBackend, S3Backend } from './aws.ts'
import type { Settings } from './clusters.ts'

export function applyBackend(stack: Construct, stackName: string, settings: Settings): void {
  const b = settings.backend
  if (b.kind === 's3') {
    new S3Backend(stack, {
      bucket: b.bucket,
      key: `persona/${stackName}.tfstate`,
      region: b.region,
      dynamodbTable: b.lockTable,
      encrypt: true,
    })
  } else {
    new LocalBackend(stack, { path: `terraform.${stackName}.tfstate` })
  }
}
