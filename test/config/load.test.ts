import { writeFileSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadEnvironment } from '../../lib/config/load';
import { ConfigError } from '../../lib/config/errors';
import { AWS_EXAMPLE, awsExampleInput, configFrom, problemLines } from '../helpers';

describe('environment loader', () => {
  it('loads the AWS example and applies defaults in one place', () => {
    const config = loadEnvironment(AWS_EXAMPLE);
    expect(config.name).toBe('uae-prod-aws');
    expect(config.versions.kubernetes).toBe('1.34');
    expect(config.network.serviceCidr).toBe('172.20.0.0/16');
    expect(config.nodePools.system.diskSizeGb).toBe(100);
    expect(config.nodePools.gpu.availabilityConfirmed).toBe(false);
    expect(config.logRetentionDays).toBe(365);
    expect(config.policy.exceptions).toEqual([]);
    expect(config.tenants.map((tenant) => tenant.id)).toEqual(['ministry-health', 'customs-authority']);
    expect(config.tenants[1].tier).toBe('standard');
  });

  it('reports a missing file without a stack trace', () => {
    expect(() => loadEnvironment('/nonexistent/env.yaml')).toThrow(new ConfigError('/nonexistent/env.yaml', [{ path: [], message: 'file not found' }]));
  });

  it('reports malformed YAML with its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: x\ncloud: [\n');
    expect(() => loadEnvironment(file)).toThrow(/bad\.yaml: \(root\): not valid YAML at line 3/);
  });

  it('rejects duplicate keys instead of silently keeping the last', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'dup.yaml');
    writeFileSync(file, 'name: a\nname: b\n');
    expect(() => loadEnvironment(file)).toThrow(/not valid YAML/);
  });
});

describe('schema problems name the field and what is allowed', () => {
  it('rejects unknown keys at any depth with the allowed keys', () => {
    const input = awsExampleInput();
    input.network.bogus = 1;
    input.nodepools = {};
    expect(problemLines(input)).toEqual([
      'env.yaml: network.bogus: is not a known field (allowed: cidr, zoneCount, serviceCidr, podCidr, deployRunnerCidrs)',
      expect.stringMatching(/^env\.yaml: nodepools: is not a known field \(allowed: name, cloud, sovereignty, region, aws, azure, .*\)$/),
    ]);
  });

  it('lists the allowed values of an enum', () => {
    const input = awsExampleInput();
    input.cloud = 'gcp';
    expect(problemLines(input)).toEqual(['env.yaml: cloud: is not an allowed value (allowed: aws, azure)']);
  });

  it('lists the allowed state backends', () => {
    const input = awsExampleInput();
    input.state = { backend: 'gcs' };
    expect(problemLines(input)).toEqual(['env.yaml: state.backend: is not an allowed value (allowed: s3, azurerm, local, hcp)']);
  });

  it('says a required field is required', () => {
    const input = awsExampleInput();
    delete input.region;
    expect(problemLines(input)).toEqual(['env.yaml: region: is required']);
  });

  it('rejects a name that is not a DNS label', () => {
    const input = awsExampleInput();
    input.name = 'UAE_Prod';
    expect(problemLines(input)).toEqual([expect.stringContaining('env.yaml: name: must be a DNS label')]);
  });

  it('rejects malformed CIDRs', () => {
    const input = awsExampleInput();
    input.network.cidr = '10.40.0.1/16';
    expect(problemLines(input)).toEqual([expect.stringContaining('env.yaml: network.cidr: must be an IPv4 CIDR block')]);
  });

  it('rejects an unsupported Kubernetes version with the allowed ones', () => {
    const input = awsExampleInput();
    input.versions = { kubernetes: '1.29' };
    expect(problemLines(input)).toEqual(['env.yaml: versions.kubernetes: is not an allowed value (allowed: 1.32, 1.33, 1.34)']);
  });

  it('accepts chart overrides only for charts in the manifest, and only exact versions', () => {
    const input = awsExampleInput();
    input.versions = { charts: { qdrant: '^1.19', nginx: '1.0.0' } };
    const lines = problemLines(input);
    expect(lines).toContainEqual(expect.stringContaining('env.yaml: versions.charts.nginx: is not a known field (allowed: qdrant,'));
    expect(lines).toContainEqual(expect.stringContaining('env.yaml: versions.charts.qdrant: must be an exact version'));
  });

  it('rejects an image tag "latest"', () => {
    const input = awsExampleInput();
    input.components.orchestrator.tag = 'latest';
    expect(problemLines(input)).toEqual(['env.yaml: components.orchestrator.tag: "latest" is not a pinned tag']);
  });

  it('rejects a policy exception without a written reason', () => {
    const input = awsExampleInput();
    input.policy = { exceptions: [{ rule: 'encryption.kms_rotation', resource: 'aws_kms_key.x', stack: 'uae-prod-aws-platform', reason: 'ok' }] };
    expect(problemLines(input)).toEqual([
      'env.yaml: policy.exceptions[0].reason: an exception needs a written reason of at least 10 characters and 3 words',
    ]);
  });

  it('rejects a placeholder reason, a missing stack scope and a bad expiry date', () => {
    const input = awsExampleInput();
    input.policy = { exceptions: [{ rule: 'encryption.kms_rotation', resource: 'aws_kms_key.x', reason: 'n/a - temp until later', expires: '2026-02-30' }] };
    expect(problemLines(input)).toEqual([
      'env.yaml: policy.exceptions[0].expires: must be a date YYYY-MM-DD',
      'env.yaml: policy.exceptions[0].reason: "n/a" marks a placeholder; write why the deviation is accepted (ticket, approver, mitigation)',
      'env.yaml: policy.exceptions[0].stack: is required',
    ]);
  });

  it('rejects an exception scoped to a stack of another environment or an undeclared tenant', () => {
    const input = awsExampleInput();
    const reason = 'Accepted by the CISO until the HSM migration (SEC-42).';
    input.policy = {
      exceptions: [
        { rule: 'encryption.kms_rotation', resource: 'aws_kms_key.x', stack: 'other-env-platform', reason },
        { rule: 'encryption.kms_rotation', resource: 'aws_kms_key.x', stack: `${input.name}-tenant-nobody`, reason },
        { rule: 'encryption.kms_rotation', resource: 'aws_kms_key.x', stack: `${input.name}-platform`, reason, expires: '2026-12-31' },
      ],
    };
    const lines = problemLines(input);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^env\.yaml: policy\.exceptions\[0\]\.stack: other-env-platform is not a stack of environment/);
    expect(lines[1]).toMatch(/^env\.yaml: policy\.exceptions\[1\]\.stack: .*-tenant-nobody is not a stack of environment/);
  });

  it('rejects an unpinned TEI model revision', () => {
    const input = awsExampleInput();
    input.components.tei.revision = 'main';
    expect(problemLines(input)).toEqual(['env.yaml: components.tei.revision: must be a 40-character commit sha']);
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    const input = awsExampleInput();
    input.logRetentionDays = 100;
    expect(problemLines(input)).toEqual([expect.stringMatching(/^env\.yaml: logRetentionDays: is not an allowed value \(allowed: 90, 180, 365,/)]);
  });

  it('reports every problem in one pass, sorted by path', () => {
    const input = awsExampleInput();
    input.cloud = 'gcp';
    input.network.zoneCount = 7;
    input.tenants[0].id = 'Bad_Id';
    const lines = problemLines(input);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^env\.yaml: cloud:/);
    expect(lines[1]).toMatch(/^env\.yaml: network\.zoneCount: must be at most 3$/);
    expect(lines[2]).toMatch(/^env\.yaml: tenants\[0\]\.id: must be a DNS label/);
  });

  it('returns a typed config when valid', () => {
    expect(configFrom(awsExampleInput()).cloud).toBe('aws');
  });
});
