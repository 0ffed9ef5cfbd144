import { exampleInput, exampleStacks, kubernetesMetadata, problems, resources, synth } from './synth';

const ENV = 'uae-prod-aws';
const MOH = `${ENV}-tenant-ministry-health`;
const CUSTOMS = `${ENV}-tenant-customs-authority`;

describe('tenant stacks', () => {
  let stacks: Record<string, any>;
  beforeAll(() => {
    stacks = exampleStacks();
  });

  test('each tenant of the example gets its own stack with its own S3 state key', () => {
    expect(Object.keys(stacks).filter((name) => name.includes('-tenant-')).sort()).toEqual([CUSTOMS, MOH]);
    const keys = [MOH, CUSTOMS].map((name) => stacks[name].terraform.backend.s3.key);
    expect(keys).toEqual([`${ENV}/${MOH}.tfstate`, `${ENV}/${CUSTOMS}.tfstate`]);
    expect(new Set(keys).size).toBe(2);
    expect(keys).not.toContain(stacks[`${ENV}-platform`].terraform.backend.s3.key);
  });

  test('a tenant stack never mentions another tenant', () => {
    expect(JSON.stringify(stacks[MOH])).not.toMatch(/customs-authority/);
    expect(JSON.stringify(stacks[CUSTOMS])).not.toMatch(/ministry-health/);
  });

  test('cross-stack inputs come from the platform stack only (remote state), never from another tenant', () => {
    const remote = stacks[MOH].data.terraform_remote_state;
    expect(Object.keys(remote)).toEqual([`cross-stack-reference-input-${ENV}-platform`]);
  });

  test('namespace: restricted Pod Security and the tenant labels', () => {
    const [namespace] = resources(stacks[MOH], 'kubernetes_namespace_v1');
    expect(namespace.metadata.name).toBe('tenant-ministry-health');
    expect(namespace.metadata.labels).toMatchObject({
      tenant_id: 'ministry-health',
      'rag.platform/tenant': 'true',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  test('quota from config (requests and limits), limit range defaults', () => {
    const [quota] = resources(stacks[MOH], 'kubernetes_resource_quota_v1');
    expect(quota.spec.hard).toMatchObject({
      'requests.cpu': '16',
      'limits.cpu': '16',
      'requests.memory': '32Gi',
      'limits.memory': '32Gi',
      pods: '80',
      'requests.nvidia.com/gpu': '0',
    });
    // customs-authority takes the schema defaults.
    expect(resources(stacks[CUSTOMS], 'kubernetes_resource_quota_v1')[0].spec.hard).toMatchObject({ 'requests.cpu': '8', 'requests.memory': '16Gi', pods: '50' });
    const [limits] = resources(stacks[MOH], 'kubernetes_limit_range_v1');
    expect(limits.spec.limit[0]).toMatchObject({ type: 'Container', default_request: { cpu: '100m' }, default: { cpu: '500m' } });
  });

  test('network: default deny both ways, DNS, egress to the platform services only', () => {
    const policies = resources(stacks[MOH], 'kubernetes_network_policy_v1').filter((p) => p.metadata.namespace !== 'llm-gateway');
    const byName = Object.fromEntries(policies.map((p) => [p.metadata.name, p.spec]));
    expect(byName['default-deny']).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
    expect(byName['allow-dns'].egress[0].ports).toEqual([
      { protocol: 'UDP', port: '53' },
      { protocol: 'TCP', port: '53' },
    ]);
    const targets = byName['allow-platform-services'].egress.map((rule: any) => rule.to[0].namespace_selector.match_labels['kubernetes.io/metadata.name']);
    // Not `embeddings`: TEI admits only LiteLLM (embeddings go through LiteLLM with the embeddings key).
    expect(targets.sort()).toEqual(['data', 'llm-gateway', 'rag-platform', 'vectordb']);
    // The one ingress: Prometheus's pods (observability) to the workers' metrics port; no rule reaches
    // another tenant namespace.
    expect(policies.filter((p) => p.spec.ingress !== undefined).map((p) => p.metadata.name)).toEqual(['allow-prometheus-to-metrics']);
    expect(byName['allow-prometheus-to-metrics']).toEqual({
      pod_selector: { match_labels: { tenant_id: 'ministry-health', 'app.kubernetes.io/component': 'ingestion-worker' } },
      policy_types: ['Ingress'],
      ingress: [
        {
          from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'observability' } }, pod_selector: { match_labels: { 'app.kubernetes.io/name': 'prometheus' } } }],
          ports: [{ protocol: 'TCP', port: '9090' }],
        },
      ],
    });
    expect(JSON.stringify(policies)).not.toMatch(/tenant-(?!ministry-health)/);
  });

  test('LiteLLM budget: marker label, team and key with limits, models and tenant metadata', () => {
    const spec = resources(stacks[MOH], 'kubernetes_config_map_v1').find((c) => c.metadata.name === 'tenant-ministry-health-litellm');
    expect(spec.metadata.labels['rag.platform/budget']).toBe('5000');
    const tenant = JSON.parse(spec.data['tenant.json']);
    for (const entity of [tenant.team, tenant.key]) {
      expect(entity).toMatchObject({
        max_budget: 5000,
        budget_duration: '30d',
        rpm_limit: 600,
        tpm_limit: 400000,
        models: ['gpt-4o', 'claude-sonnet'],
        metadata: { tenant_id: 'ministry-health' },
      });
    }
    expect(tenant.key.key_alias).toBe('ministry-health');
    // The circuit breaker: on the key only (LiteLLM's team API takes no max_parallel_requests), by default
    // the full rate at 10 s per request (600 rpm -> 100 in flight).
    expect(tenant.key.max_parallel_requests).toBe(100);
    expect(tenant.team).not.toHaveProperty('max_parallel_requests');
    const job = resources(stacks[MOH], 'kubernetes_job_v1').find((j) => j.metadata.name.startsWith('tenant-ministry-health-litellm-'));
    expect(job.metadata.labels['rag.platform/budget']).toBe('5000');
    expect(job.wait_for_completion).toBe(true);
  });

  test('LiteLLM circuit breaker: tenants[].llm.maxParallelRequests sets the key\'s max_parallel_requests; 0 is refused', () => {
    const input = exampleInput();
    input.tenants[0].llm.maxParallelRequests = 7;
    const spec = resources(synth(input)[MOH], 'kubernetes_config_map_v1').find((c) => c.metadata.name === 'tenant-ministry-health-litellm');
    expect(JSON.parse(spec.data['tenant.json']).key.max_parallel_requests).toBe(7);
    input.tenants[0].llm.maxParallelRequests = 0;
    expect(problems(input)).toEqual([expect.stringContaining('tenants[0].llm.maxParallelRequests')]);
  });

  test('secrets: tenant-scoped paths only, delivered by external-secrets, identity limited to the prefix', () => {
    const json = JSON.stringify(stacks[MOH]);
    const paths = [...json.matchAll(/rag\/uae-prod-aws\/[a-z0-9/-]+/g)].map((m) => m[0]);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((path) => path.startsWith('rag/uae-prod-aws/tenants/ministry-health/'))).toBe(true);
    const [policy] = resources(stacks[MOH], 'aws_iam_role_policy');
    expect(JSON.parse(policy.policy).Statement[0].Resource).toEqual(['arn:aws:secretsmanager:me-central-1:111122223333:secret:rag/uae-prod-aws/tenants/ministry-health/*']);
    const [association] = resources(stacks[MOH], 'aws_eks_pod_identity_association');
    expect(association.service_account).toBe('tenant-ministry-health');
    const externalSecrets = resources(stacks[MOH], 'kubernetes_manifest').filter((m) => m.manifest.kind === 'ExternalSecret');
    expect(externalSecrets.map((m) => m.manifest.metadata.name).sort()).toEqual([
      'tenant-credentials',
      'tenant-ministry-health-embeddings-key',
      'tenant-ministry-health-litellm-key',
      'tenant-ministry-health-queue-acl',
    ]);
  });

  test('queue ACL: a Job in data sets the tenant user (own keys, stream commands only) and saves the ACL file', () => {
    const [job] = resources(stacks[MOH], 'kubernetes_job_v1').filter((j) => j.metadata.namespace === 'data');
    expect(job.metadata.name).toMatch(/^tenant-ministry-health-queue-acl-[0-9a-f]{8}$/);
    expect(job.metadata.labels).toMatchObject({ tenant_id: 'ministry-health', 'app.kubernetes.io/component': 'queue-acl-provisioner' });
    expect(job.wait_for_completion).toBe(true);
    const pod = job.spec.template.spec;
    expect(pod.security_context).toMatchObject({ run_as_non_root: true, seccomp_profile: { type: 'RuntimeDefault' } });
    expect(pod.automount_service_account_token).toBe(false);
    const [container] = pod.container;
    expect(container.image).toBe('111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror/valkey/valkey:8.1.4');
    expect(container.security_context).toMatchObject({ allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ['ALL'] } });
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.value_from]));
    expect(env.QUEUE_HOST).toBe('ingestion-valkey.data.svc.cluster.local');
    expect(env.QUEUE_PORT).toBe('6379');
    expect(env.ACL_USER).toBe('tenant-ministry-health');
    expect(env.ACL_RULES).toBe('on resetpass resetkeys ~tenant:ministry-health:* resetchannels -@all +@stream +@connection -@dangerous');
    // Admin password from the queue's admin Secret in data; the tenant's from its ExternalSecret in data.
    expect(env.REDISCLI_AUTH).toEqual({ secret_key_ref: { name: 'ingestion-valkey-auth', key: 'default' } });
    expect(env.TENANT_PASSWORD).toEqual({ secret_key_ref: { name: 'tenant-ministry-health-queue-acl', key: 'password' } });
    const script = container.command.join(' ');
    expect(script).toContain('ACL SETUSER');
    expect(script).toContain('ACL SAVE');
    // The password goes in on stdin, never as an argument.
    expect(script).toMatch(/printf '>%s' "\$TENANT_PASSWORD" \| cli -x ACL SETUSER/);
    const secret = resources(stacks[MOH], 'kubernetes_manifest').find((m) => m.manifest.metadata.name === 'tenant-ministry-health-queue-acl').manifest;
    expect(secret.metadata.namespace).toBe('data');
    expect(secret.spec.secretStoreRef).toEqual({ name: 'platform-secrets', kind: 'ClusterSecretStore' });
    expect(secret.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'rag/uae-prod-aws/tenants/ministry-health/queue-password' } }]);
    // The Job's name changes only with the rules/script: the other tenant's differs by its user, not by chance.
    const [other] = resources(stacks[CUSTOMS], 'kubernetes_job_v1').filter((j) => j.metadata.namespace === 'data');
    expect(other.metadata.name).toMatch(/^tenant-customs-authority-queue-acl-[0-9a-f]{8}$/);
  });

  test('ingestion workers: restricted, TENANT_ID, scaled by KEDA on the tenant queue with a quarantine stream', () => {
    const [deployment] = resources(stacks[MOH], 'kubernetes_deployment_v1');
    const pod = deployment.spec.template.spec;
    expect(pod.security_context.run_as_non_root).toBe(true);
    expect(pod.container[0].security_context).toMatchObject({ allow_privilege_escalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.container[0].env).toContainEqual({ name: 'TENANT_ID', value: 'ministry-health' });
    expect(pod.container[0].image).toMatch(/^111122223333\.dkr\.ecr\.me-central-1\.amazonaws\.com\/mirror\//);
    const scaled = resources(stacks[MOH], 'kubernetes_manifest').find((m) => m.manifest.kind === 'ScaledObject').manifest;
    expect(scaled.spec.triggers[0]).toMatchObject({ type: 'redis-streams', metadata: { stream: 'tenant:ministry-health:ingest' } });
    expect(scaled.metadata.annotations['rag.platform/quarantine-queue']).toBe('tenant:ministry-health:ingest:quarantine');
  });

  test('ingestion workers: scraped by a PodMonitor in the tenant namespace, tenant_id set by the stack', () => {
    for (const [name, id] of [[MOH, 'ministry-health'], [CUSTOMS, 'customs-authority']]) {
      const monitors = resources(stacks[name], 'kubernetes_manifest').filter((m) => m.manifest.kind === 'PodMonitor').map((m) => m.manifest);
      expect(monitors).toHaveLength(1);
      const [monitor] = monitors;
      expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(monitor.metadata).toMatchObject({ name: 'ingestion-worker', namespace: expect.stringMatching(/^\$\{kubernetes_namespace_v1\./) });
      // Selects exactly the Deployment's pods.
      const [deployment] = resources(stacks[name], 'kubernetes_deployment_v1');
      expect(monitor.spec.selector.matchLabels).toEqual(deployment.spec.selector.match_labels);
      expect(monitor.spec.podMetricsEndpoints).toEqual([
        {
          port: 'metrics',
          path: '/metrics',
          interval: '30s',
          honorLabels: false,
          // A target label beats a scraped one of the same name: the series cannot claim another tenant.
          relabelings: [{ action: 'replace', targetLabel: 'tenant_id', replacement: id }],
        },
      ]);
    }
  });

  test('ingestion workers: always re-pulled, health-probed on the worker health port', () => {
    for (const name of [MOH, CUSTOMS]) {
      const [deployment] = resources(stacks[name], 'kubernetes_deployment_v1');
      const [container] = deployment.spec.template.spec.container;
      expect(container.image_pull_policy).toBe('Always');
      expect(container.port).toEqual([
        { name: 'health', container_port: 8080, protocol: 'TCP' },
        { name: 'metrics', container_port: 9090, protocol: 'TCP' },
      ]);
      expect(container.env).toContainEqual({ name: 'PORT', value: '8080' });
      expect(container.env).toContainEqual({ name: 'METRICS_PORT', value: '9090' });
      expect(container.startup_probe).toMatchObject({ http_get: { path: '/healthz', port: 'health' }, period_seconds: 5, failure_threshold: 24 });
      expect(container.liveness_probe).toMatchObject({ http_get: { path: '/healthz', port: 'health' }, period_seconds: 10, timeout_seconds: 3, failure_threshold: 3 });
      expect(container.readiness_probe).toMatchObject({ http_get: { path: '/readyz', port: 'health' }, period_seconds: 5, timeout_seconds: 3, failure_threshold: 3 });
    }
  });

  test('tenant_id on every Kubernetes object and every taggable cloud resource', () => {
    for (const name of [MOH, CUSTOMS]) {
      const id = name.replace(`${ENV}-tenant-`, '');
      for (const { metadata } of kubernetesMetadata(stacks[name])) {
        expect(metadata.labels?.tenant_id).toBe(id);
      }
      for (const type of ['aws_iam_role', 'aws_eks_pod_identity_association']) {
        for (const resource of resources(stacks[name], type)) {
          expect(resource.tags.tenant_id).toBe(id);
        }
      }
    }
  });

  test('no secret value in the synthesized JSON', () => {
    for (const name of [MOH, CUSTOMS]) {
      const json = JSON.stringify(stacks[name]);
      expect(resources(stacks[name], 'kubernetes_secret_v1')).toHaveLength(0);
      expect(json).not.toMatch(/sk-[A-Za-z0-9]{8,}/);
      expect(json).not.toMatch(/AKIA[0-9A-Z]{16}|BEGIN [A-Z ]*PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}/);
      expect(json).not.toMatch(/"(token|password|client_key|api_key)"\s*:/);
    }
  });

  test('synth is deterministic', () => {
    expect(JSON.stringify(synth(exampleInput()))).toBe(JSON.stringify(stacks));
  });
});

describe('tenant set changes', () => {
  test('removing a tenant removes its stack and leaves the other one byte-identical', () => {
    const before = exampleStacks();
    const input = exampleInput();
    input.tenants = input.tenants.filter((t: any) => t.id !== 'customs-authority');
    const after = synth(input);
    expect(after[CUSTOMS]).toBeUndefined();
    expect(JSON.stringify(after[MOH])).toBe(JSON.stringify(before[MOH]));
  });

  test('local backend: each tenant its own state file', () => {
    const input = exampleInput();
    input.state = { backend: 'local' };
    const stacks = synth(input);
    expect(stacks[MOH].terraform.backend.local.path).toBe(`terraform-state/${MOH}.tfstate`);
    expect(stacks[CUSTOMS].terraform.backend.local.path).toBe(`terraform-state/${CUSTOMS}.tfstate`);
  });

  test('hcp backend: each tenant its own workspace', () => {
    const input = exampleInput();
    input.state = { backend: 'hcp', hostname: 'tfe.example.ae', organization: 'gov' };
    const stacks = synth(input);
    expect(stacks[MOH].terraform.cloud.workspaces.name).toBe(`${ENV}-${MOH}`);
    expect(stacks[CUSTOMS].terraform.cloud.workspaces.name).toBe(`${ENV}-${CUSTOMS}`);
  });
});

describe('tenant validation (config loader messages)', () => {
  test('a tenant without an id', () => {
    const input = exampleInput();
    delete input.tenants[1].id;
    expect(problems(input).join('\n')).toMatch(/^env\.yaml: tenants\[1\]\.id: /m);
  });

  test('a duplicate tenant id', () => {
    const input = exampleInput();
    input.tenants[1].id = 'ministry-health';
    expect(problems(input)).toContain('env.yaml: tenants[1].id: duplicates tenant ministry-health (tenants[0])');
  });

  test('an unknown model', () => {
    const input = exampleInput();
    input.tenants[1].llm.allowedModels = ['gpt-5'];
    expect(problems(input)).toContain('env.yaml: tenants[1].llm.allowedModels[0]: gpt-5 is not a model in llm.models (allowed: gpt-4o, claude-sonnet)');
  });

  test('a negative budget', () => {
    const input = exampleInput();
    input.tenants[0].llm.monthlyBudgetUsd = -1;
    expect(problems(input)).toContain('env.yaml: tenants[0].llm.monthlyBudgetUsd: must not be negative');
  });

  test('ingestion minReplicas above maxReplicas', () => {
    const input = exampleInput();
    input.tenants[0].ingestion = { minReplicas: 5, maxReplicas: 2 };
    expect(problems(input).join('\n')).toMatch(/tenants\[0\]\.ingestion\.minReplicas: minReplicas must not exceed maxReplicas/);
  });
});
