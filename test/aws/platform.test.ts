import { AWS_EXAMPLE, awsExampleInput, configFrom, resourcesOf, synthEnvironment, synthExample } from '../helpers';
import { loadEnvironment } from '../../lib/config/load';
import { generatedEntries, PLATFORM_SECRETS } from '../../lib/kubernetes/secret-catalog';
import { mirrorInventory, mirrorRepositoryNames } from '../../lib/mirror/inventory';
import { EKS_ADDON_VERSIONS_BY_KUBERNETES } from '../../lib/versions';
import { INTERFACE_ENDPOINT_SERVICES } from '../../lib/sovereignty/endpoints';
import { planSubnets } from '../../lib/aws/network';
import { ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS, DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS } from '../../lib/aws/secure-bucket';

const { stacks } = synthExample(AWS_EXAMPLE);
const platform = stacks['uae-prod-aws-platform'];
const state = stacks['uae-prod-aws-state'];

const only = (stack: any, type: string) => {
  const found = resourcesOf(stack, type);
  expect(found).toHaveLength(1);
  return found[0][1];
};

describe('AWS provider', () => {
  it('is pinned to the region and account with default tags', () => {
    for (const stack of [platform, state]) {
      const [provider] = stack.provider.aws;
      expect(provider.region).toBe('me-central-1');
      expect(provider.allowed_account_ids).toEqual(['111122223333']);
      expect(provider.default_tags[0].tags).toEqual(
        expect.objectContaining({ environment: 'uae-prod-aws', 'managed-by': 'cdktf-sovereign-rag', 'cost-center': 'rag-platform' }),
      );
    }
  });

  it('requires the provider version the bindings were generated from', () => {
    expect(platform.terraform.required_providers.aws.version).toBe('5.100.0');
  });
});

describe('state stack', () => {
  it('creates a private, versioned, CMK-encrypted bucket with no replication', () => {
    expect(only(state, 'aws_s3_bucket')).toMatchObject({ bucket: 'uae-prod-aws-tfstate-111122223333', force_destroy: false });
    expect(only(state, 'aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    const sse = only(state, 'aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(sse.apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(sse.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/aws_kms_key\..*\.arn/);
    expect(only(state, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
    });
    expect(resourcesOf(state, 'aws_s3_bucket_replication_configuration')).toHaveLength(0);
    const policy = JSON.parse(only(state, 'aws_s3_bucket_policy').policy);
    expect(policy.Statement[0]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('keeps a year of state history: expires only noncurrent versions, after 365 days, and drops stale uploads', () => {
    const lifecycle = only(state, 'aws_s3_bucket_lifecycle_configuration');
    expect(lifecycle.bucket).toMatch(/aws_s3_bucket\.state-store_bucket.*\.id/);
    expect(lifecycle.rule).toHaveLength(1);
    const [rule] = lifecycle.rule;
    expect(rule).toMatchObject({
      status: 'Enabled',
      filter: [{}],
      noncurrent_version_expiration: [{ noncurrent_days: 365 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    // The current state object is never expired or transitioned.
    expect(rule.expiration).toBeUndefined();
    expect(rule.transition).toBeUndefined();
    expect(rule.noncurrent_version_transition).toBeUndefined();
    expect(DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS).toBe(365);
    expect(ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS).toBe(7);
    expect(lifecycle.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\.state-store_bucket_versioning/)]);
  });

  it('bootstraps with a relative local state', () => {
    expect(state.terraform.backend).toEqual({ local: { path: '../../../state/uae-prod-aws/uae-prod-aws-state.tfstate' } });
  });
});

describe('platform backend', () => {
  it('keeps its own state key in the state bucket with S3-native locking and the state CMK', () => {
    expect(platform.terraform.backend.s3).toEqual({
      bucket: 'uae-prod-aws-tfstate-111122223333',
      key: 'uae-prod-aws/uae-prod-aws-platform.tfstate',
      region: 'me-central-1',
      encrypt: true,
      kms_key_id: 'arn:aws:kms:me-central-1:111122223333:alias/uae-prod-aws/tfstate',
      use_lockfile: true,
    });
  });
});

describe('KMS keys', () => {
  const keys = resourcesOf(platform, 'aws_kms_key');

  it('has one rotating, single-region CMK per purpose', () => {
    expect(keys.map(([, key]) => key.description).sort()).toEqual([
      'uae-prod-aws: ebs encryption',
      'uae-prod-aws: ecr encryption',
      'uae-prod-aws: eks-secrets encryption',
      'uae-prod-aws: logs encryption',
      'uae-prod-aws: s3 encryption',
      'uae-prod-aws: secrets-manager encryption',
    ]);
    for (const [, key] of keys) {
      expect(key).toMatchObject({ enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 30, multi_region: false });
    }
  });

  it('names the account root and the stable key admins, never the caller', () => {
    for (const [, key] of keys) {
      const policy = JSON.parse(key.policy);
      expect(policy.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::111122223333:root' });
      expect(policy.Statement[1].Principal).toEqual({
        AWS: ['arn:aws:iam::111122223333:role/platform-key-admins', 'arn:aws:iam::111122223333:role/platform-deployer'],
      });
      expect(key.policy).not.toContain('caller');
    }
  });

  it('lets the Auto Scaling service-linked role use and grant the EBS key', () => {
    const [, ebs] = keys.find(([, key]) => key.description.includes('ebs'))!;
    const statements = JSON.parse(ebs.policy).Statement;
    const slr = 'arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling';
    expect(statements).toContainEqual(expect.objectContaining({ Principal: { AWS: slr }, Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']) }));
    expect(statements).toContainEqual(expect.objectContaining({ Principal: { AWS: slr }, Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } }));
  });

  it('lets CloudWatch Logs in this region only use the logs key', () => {
    const [, logs] = keys.find(([, key]) => key.description.includes('logs'))!;
    expect(JSON.parse(logs.policy).Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'logs.me-central-1.amazonaws.com' } }));
  });
});

describe('network', () => {
  it('has no internet path at all', () => {
    for (const type of ['aws_internet_gateway', 'aws_nat_gateway', 'aws_eip', 'aws_egress_only_internet_gateway']) {
      expect(resourcesOf(platform, type)).toHaveLength(0);
    }
    for (const [, table] of resourcesOf(platform, 'aws_route_table')) {
      expect(table.route ?? []).toEqual([]);
    }
  });

  it('has private node and endpoint subnets in every configured zone', () => {
    const subnets = resourcesOf(platform, 'aws_subnet').map(([, subnet]) => subnet);
    expect(subnets).toHaveLength(6);
    expect(subnets.every((subnet) => subnet.map_public_ip_on_launch === false)).toBe(true);
    expect(new Set(subnets.map((subnet) => subnet.availability_zone))).toEqual(new Set(['me-central-1a', 'me-central-1b', 'me-central-1c']));
    expect(subnets.map((subnet) => subnet.cidr_block).sort()).toEqual([...planSubnets('10.40.0.0/16', 3).nodes, ...planSubnets('10.40.0.0/16', 3).endpoints].sort());
  });

  it('reaches every AWS service the private cluster needs through VPC endpoints', () => {
    const endpoints = resourcesOf(platform, 'aws_vpc_endpoint').map(([, endpoint]) => endpoint);
    const interfaces = endpoints.filter((endpoint) => endpoint.vpc_endpoint_type === 'Interface');
    // bedrock-runtime: the example configures a Bedrock model (test/components/litellm-identity.test.ts).
    const expected = [...INTERFACE_ENDPOINT_SERVICES, 'bedrock-runtime'];
    expect(interfaces.map((endpoint) => endpoint.service_name).sort()).toEqual(expected.map((s) => `com.amazonaws.me-central-1.${s}`).sort());
    expect(interfaces.every((endpoint) => endpoint.private_dns_enabled === true)).toBe(true);
    expect(endpoints.filter((endpoint) => endpoint.vpc_endpoint_type === 'Gateway').map((endpoint) => endpoint.service_name)).toEqual(['com.amazonaws.me-central-1.s3']);
  });

  it('locks down the default security group and logs flows to a CMK log group', () => {
    const defaultSg = only(platform, 'aws_default_security_group');
    expect(defaultSg.ingress).toBeUndefined();
    expect(defaultSg.egress).toBeUndefined();
    expect(only(platform, 'aws_flow_log')).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
  });

  it('plans subnets deterministically for small networks too', () => {
    expect(planSubnets('10.1.0.0/22', 2)).toEqual({ nodes: ['10.1.0.0/24', '10.1.1.0/24'], endpoints: ['10.1.3.0/28', '10.1.3.16/28'] });
  });
});

describe('EKS cluster', () => {
  const cluster = only(platform, 'aws_eks_cluster');

  it('exposes a private endpoint only', () => {
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
  });

  it('uses API authentication with access entries, not aws-auth, and no implicit creator admin', () => {
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    // The admins, and the deploy runner's role (so the Kubernetes stacks can be applied at all).
    const admins = ['arn:aws:iam::111122223333:role/platform-admins', 'arn:aws:iam::111122223333:role/platform-deployer'];
    expect(resourcesOf(platform, 'aws_eks_access_entry').map(([, e]) => e.principal_arn)).toEqual(admins);
    const associations = resourcesOf(platform, 'aws_eks_access_policy_association').map(([, a]) => a);
    expect(associations.map((a) => a.principal_arn)).toEqual(admins);
    for (const association of associations) {
      expect(association).toMatchObject({ policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', access_scope: { type: 'cluster' } });
    }
  });

  it('admits the VPC and the deploy runners, and nothing else, on 443 of the API', () => {
    const [, sg] = resourcesOf(platform, 'aws_security_group').find(([, g]) => g.name === 'uae-prod-aws-api')!;
    expect(cluster.vpc_config.security_group_ids).toEqual([expect.stringContaining('api-sg')]);
    expect(sg.ingress.map((rule: any) => [rule.from_port, rule.to_port, rule.protocol, rule.cidr_blocks])).toEqual([
      [443, 443, 'tcp', ['10.40.0.0/16']],
      [443, 443, 'tcp', ['172.16.8.0/24']],
    ]);
    expect(sg.egress).toEqual([]);
  });

  it('envelope-encrypts Secrets with the CMK and logs every control-plane type to a CMK log group', () => {
    expect(cluster.encryption_config.resources).toEqual(['secrets']);
    expect(cluster.encryption_config.provider.key_arn).toMatch(/key-eks-secrets.*\.arn/);
    expect(cluster.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const logGroup = resourcesOf(platform, 'aws_cloudwatch_log_group').find(([, group]) => group.name === '/aws/eks/uae-prod-aws/cluster')![1];
    expect(logGroup).toMatchObject({ retention_in_days: 365 });
    expect(logGroup.kms_key_id).toMatch(/key-logs.*\.arn/);
  });

  it('pins the Kubernetes version and every managed add-on', () => {
    expect(cluster.version).toBe('1.34');
    const addons = resourcesOf(platform, 'aws_eks_addon').map(([, addon]) => addon);
    expect(Object.fromEntries(addons.map((addon) => [addon.addon_name, addon.addon_version]))).toEqual(EKS_ADDON_VERSIONS_BY_KUBERNETES['1.34']);
  });

  it('gives the EBS CSI driver its role through Pod Identity', () => {
    const ebs = resourcesOf(platform, 'aws_eks_addon').find(([, addon]) => addon.addon_name === 'aws-ebs-csi-driver')![1];
    expect(ebs.pod_identity_association[0].service_account).toBe('ebs-csi-controller-sa');
  });
});

describe('node pools', () => {
  const groups = Object.fromEntries(resourcesOf(platform, 'aws_eks_node_group').map(([, group]) => [group.node_group_name, group]));
  const templates = resourcesOf(platform, 'aws_launch_template').map(([, template]) => template);

  it('launches from templates that require IMDSv2 and encrypt volumes with the EBS CMK', () => {
    expect(templates).toHaveLength(3);
    for (const template of templates) {
      expect(template.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
      expect(template.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', volume_type: 'gp3' });
      expect(template.block_device_mappings[0].ebs.kms_key_id).toMatch(/key-ebs.*\.arn/);
      expect(template.network_interfaces).toBeUndefined();
    }
  });

  it('builds a tainted, labelled L4 GPU pool that can scale to zero', () => {
    expect(groups.gpu).toMatchObject({
      ami_type: 'AL2023_x86_64_NVIDIA',
      instance_types: ['g6.xlarge'],
      scaling_config: { min_size: 0, max_size: 4, desired_size: 0 },
      labels: { 'node.kubernetes.io/gpu-family': 'L4', 'nvidia.com/gpu.present': 'true', 'rag.platform/pool': 'gpu' },
      taint: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }],
    });
    expect(groups.gpu.lifecycle.ignore_changes).toEqual(['scaling_config[0].desired_size']);
  });

  it('advertises the GPU pool to the autoscaler for scale-from-zero', () => {
    const tags = resourcesOf(platform, 'aws_autoscaling_group_tag').map(([, tag]) => tag.tag);
    expect(tags).toContainEqual({ key: 'k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu', value: '1', propagate_at_launch: false });
    expect(tags).toContainEqual({ key: 'k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu', value: 'present:NoSchedule', propagate_at_launch: false });
  });

  it('keeps the system pool for critical add-ons and the general pool untainted', () => {
    expect(groups.system.taint).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }]);
    expect(groups.system.ami_type).toBe('AL2023_x86_64_STANDARD');
    // One general group per zone (zonal volumes), min 3 / max 12 split over the three zones.
    for (const zone of ['me-central-1a', 'me-central-1b', 'me-central-1c']) {
      expect(groups[`general-${zone}`].taint).toEqual([]);
      expect(groups[`general-${zone}`].scaling_config).toMatchObject({ min_size: 1, max_size: 4 });
    }
  });
});

describe('registry and storage', () => {
  it('creates an immutable, scanned, CMK-encrypted ECR repository', () => {
    const [, orchestrator] = resourcesOf(platform, 'aws_ecr_repository').find(([, r]) => r.name === 'uae-prod-aws/orchestrator')!;
    expect(orchestrator).toMatchObject({
      name: 'uae-prod-aws/orchestrator',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS', kms_key: expect.stringMatching(/key-ecr.*\.arn/) }],
    });
    expect(resourcesOf(platform, 'aws_ecr_replication_configuration')).toHaveLength(0);
  });

  it('creates a private platform bucket with the S3 CMK', () => {
    expect(only(platform, 'aws_s3_bucket').bucket).toBe('uae-prod-aws-platform-111122223333');
    expect(only(platform, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/key-s3.*\.arn/);
  });

  it('gives the platform bucket the same lifecycle: noncurrent versions after 365 days, stale uploads after 7', () => {
    const [rule] = only(platform, 'aws_s3_bucket_lifecycle_configuration').rule;
    expect(rule).toMatchObject({
      status: 'Enabled',
      noncurrent_version_expiration: [{ noncurrent_days: 365 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(rule.expiration).toBeUndefined();
  });
});

describe('external-secrets identity (addons stack)', () => {
  const addons = stacks['uae-prod-aws-addons'];
  const [, role] = resourcesOf(addons, 'aws_iam_role').find(([, r]) => r.name === 'uae-prod-aws-external-secrets')!;
  const [, policy] = resourcesOf(addons, 'aws_iam_role_policy').find(([, p]) => p.name === 'external-secrets')!;
  const statements: any[] = JSON.parse(policy.policy).Statement;
  const arn = (prefix: string) => `arn:aws:secretsmanager:me-central-1:111122223333:secret:${prefix}*`;

  it("reads only the secret catalog's component prefixes and the tenants' prefix below rag/<env>/", () => {
    expect(role).toBeDefined();
    const prefixes = [...Object.keys(PLATFORM_SECRETS), 'tenants'].map((component) => arn(`rag/uae-prod-aws/${component}/`));
    expect(statements[0]).toEqual({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: prefixes });
    expect(JSON.stringify(statements)).not.toContain(arn('rag/uae-prod-aws/'));
  });

  it('writes (PushSecret) only below rag/<env>/tenants/ and the generated catalog entries, with the secrets CMK', () => {
    const write = statements.filter((s) => [s.Action].flat().some((a: string) => /^secretsmanager:(Create|Put|Delete|Tag)/.test(a)));
    expect(write).toHaveLength(1);
    expect(write[0].Action.sort()).toEqual(
      ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource'].sort(),
    );
    expect(write[0].Resource).toEqual([arn('rag/uae-prod-aws/tenants/'), ...generatedEntries().map((entry) => arn(`rag/uae-prod-aws/${entry.component}/${entry.key}`))]);
    const kms = statements.find((s) => [s.Action].flat().includes('kms:GenerateDataKey'));
    expect(kms.Action).toEqual(['kms:GenerateDataKey', 'kms:Encrypt']);
    expect(kms.Resource).toMatch(/key-secrets-manager_key_.*arn/);
    expect(kms.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.me-central-1.amazonaws.com' } });
    // No wildcard actions anywhere.
    expect(JSON.stringify(statements)).not.toMatch(/secretsmanager:\*|"kms:\*"/);
  });
});

describe('the in-region mirror (ECR) as managed infrastructure', () => {
  const repositories = resourcesOf(platform, 'aws_ecr_repository').map(([, r]) => r);
  const expected = mirrorRepositoryNames(mirrorInventory(loadEnvironment(AWS_EXAMPLE)));

  it('one repository per mirrored image and chart, with the ECR CMK, immutable tags and scan on push', () => {
    const mirror = repositories.filter((r) => /^(mirror|charts)\//.test(r.name));
    expect(mirror.map((r) => r.name).sort()).toEqual(expected);
    expect(expected).toEqual(expect.arrayContaining(['charts/traefik', 'mirror/library/traefik', 'mirror/rag/orchestrator']));
    for (const r of mirror) {
      expect(r).toMatchObject({ image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true }, force_delete: false });
      expect(r.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: expect.stringMatching(/key-ecr_key.*\.arn/) }]);
    }
  });

  it('the helm provider logs in to the chart mirror with an ECR token where charts are installed, nowhere else', () => {
    for (const kind of ['addons', 'workloads']) {
      const stack = stacks[`uae-prod-aws-${kind}`];
      const [helm] = stack.provider.helm;
      expect(helm.registries).toEqual([
        {
          url: 'oci://111122223333.dkr.ecr.me-central-1.amazonaws.com',
          username: '${data.aws_ecr_authorization_token.chart-mirror-token.user_name}',
          password: '${data.aws_ecr_authorization_token.chart-mirror-token.password}',
        },
      ]);
      expect(stack.data.aws_ecr_authorization_token['chart-mirror-token'].registry_id).toBe('111122223333');
    }
    const tenant = stacks['uae-prod-aws-tenant-ministry-health'];
    expect(tenant.provider.helm[0].registries).toBeUndefined();
    expect(tenant.data?.aws_ecr_authorization_token).toBeUndefined();
  });

  it('a mirror in another account is not managed here', () => {
    const input = awsExampleInput();
    input.registry = { imageMirror: '999988887777.dkr.ecr.me-central-1.amazonaws.com/mirror', chartMirror: 'oci://999988887777.dkr.ecr.me-central-1.amazonaws.com/charts' };
    const other = synthEnvironment(configFrom(input)).stacks['uae-prod-aws-platform'];
    expect(resourcesOf(other, 'aws_ecr_repository').map(([, r]) => r.name)).toEqual(['uae-prod-aws/orchestrator']);
  });
});
