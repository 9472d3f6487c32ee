// SPDX-License-Identifier: MPL-2.0
// The one place that imports CDK for Terraform and the AWS provider bindings. cdktf was archived in
// December 2025; its maintained fork CDK Terrain (`cdktn`) keeps the API, so moving is a rename of the
// module names below (and of the packages in package.json). Provider classes come from their
// submodules: the package root would load all 2,212 of them.

export { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate/index.js'
export { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation/index.js'
export { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group/index.js'
export { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js'
export { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js'
export { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js'
export { Eip } from '@cdktf/provider-aws/lib/eip/index.js'
export { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile/index.js'
export { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js'
export { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js'
export { IamUser } from '@cdktf/provider-aws/lib/iam-user/index.js'
export { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy/index.js'
export { Instance } from '@cdktf/provider-aws/lib/instance/index.js'
export { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js'
export { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template/index.js'
export { Lb } from '@cdktf/provider-aws/lib/lb/index.js'
export { LbListener } from '@cdktf/provider-aws/lib/lb-listener/index.js'
export { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js'
export { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js'
export { AwsProvider, type AwsProviderConfig } from '@cdktf/provider-aws/lib/provider/index.js'
export { Route } from '@cdktf/provider-aws/lib/route/index.js'
export { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js'
export { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js'
export { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check/index.js'
export { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js'
export { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone/index.js'
export { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association/index.js'
export { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js'
export { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js'
export { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js'
export { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js'
export { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js'
export { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js'
export { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint/index.js'
export { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection/index.js'
export { VpcPeeringConnectionAccepterA as VpcPeeringConnectionAccepter } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter/index.js'
export { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js'
export { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js'
export {
  App,
  Fn,
  LocalBackend,
  ref,
  S3Backend,
  TerraformIterator,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Token,
} from 'cdktf'
export { Construct } from 'constructs'
