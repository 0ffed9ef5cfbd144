import { z } from 'zod';
import { CHARTS, IMAGES, KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from '../versions';
import { GPU_FAMILIES } from '../sovereignty/gpu';
import { PROFILE_IDS } from '../sovereignty/profiles';
import { isValidCidr } from './cidr';
import { exceptionReasonProblem, isIsoDate } from '../policy/exception-reason';

/**
 * The environment file's schema. Every object is strict (unknown keys are errors, so a typo never
 * silently falls back to a default) and every default is declared here, in one place.
 * Cross-field rules (region inside the profile, GPU offered in the region, ...) live in rules.ts.
 */

export const DNS_LABEL_PATTERN = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

const dnsLabel = (maxLength: number) =>
  z
    .string()
    .max(maxLength, { message: `must be at most ${maxLength} characters` })
    .regex(DNS_LABEL_PATTERN, {
      message: 'must be a DNS label: lowercase letters, digits and "-", starting with a letter, not ending with "-"',
    });

const cidr = z.string().refine(isValidCidr, { message: 'must be an IPv4 CIDR block such as 10.40.0.0/16, with no host bits set' });
const uuid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
  message: 'must be a UUID such as 00000000-0000-0000-0000-000000000000',
});
const semver = z.string().regex(/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, {
  message: 'must be an exact version such as 1.19.0 (ranges and "latest" are not pinned)',
});
const imageTag = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: 'must be an image tag' })
  .refine((tag) => tag !== 'latest', { message: '"latest" is not a pinned tag' });

export const awsSchema = z.strictObject({
  accountId: z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id' }),
  /** IAM roles that get cluster-admin through EKS access entries. */
  clusterAdminRoleArns: z.array(z.string()).min(1, { message: 'must name at least one role' }),
  /** Stable IAM roles that administer the KMS keys (never "whoever runs terraform"). */
  keyAdminRoleArns: z.array(z.string()).min(1, { message: 'must name at least one role' }),
  /**
   * The IAM role the deploy runner applies the stacks as: it gets an EKS access entry with cluster-admin,
   * so it can plan and apply the Kubernetes stacks. Optional in the schema so the error can explain why;
   * rules.ts requires it.
   */
  deployRoleArn: z.string().optional(),
});

const armId = (kind: string, pattern: string, example: string) =>
  z.string().regex(new RegExp(`^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/${pattern}$`), {
    message: `must be ${kind} resource id such as /subscriptions/<uuid>/resourceGroups/<rg>/providers/${example}`,
  });
const virtualNetworkId = armId('a virtual network', 'Microsoft\\.Network/virtualNetworks/[^/]+', 'Microsoft.Network/virtualNetworks/<vnet>');
const privateDnsZoneId = (zone: string) =>
  armId(`the ${zone} private DNS zone`, `Microsoft\\.Network/privateDnsZones/${zone.replace(/[.]/g, '\\.').replace('<region>', '[a-z0-9]+')}`, `Microsoft.Network/privateDnsZones/${zone}`);

/**
 * Where the environment sits in the organisation's Azure landing zone (hub and spoke). The deploy
 * runner lives in the hub: everything the platform stack creates through a data-plane call (keys) or
 * reaches privately (vault, registry, blob, the private API) must be routable and resolvable from there.
 */
export const landingZoneSchema = z.strictObject({
  /** The hub's runner network (the deploy and drift runners' addresses): admitted to the API and endpoints. */
  runnerCidrs: z.array(cidr).min(1, { message: 'must name the runner network' }),
  /**
   * The hub VNet to peer the platform VNet with (both directions; the hub side is written through a
   * provider aliased to the hub's subscription). Leave unset when the spoke is vended already peered.
   */
  hubVirtualNetworkId: virtualNetworkId.optional(),
  /** An existing (vended) spoke VNet, peered to the hub by the landing zone: the platform subnets go into it. */
  spokeVirtualNetworkId: virtualNetworkId.optional(),
  /** Network Watcher of the region, for the VNet flow logs; default `NetworkWatcherRG/NetworkWatcher_<region>`, which Azure creates. */
  networkWatcherId: armId('a network watcher', 'Microsoft\\.Network/networkWatchers/[^/]+', 'Microsoft.Network/networkWatchers/<name>').optional(),
  /**
   * The landing zone's central privatelink zones (linked to the hub, where runners resolve). When set,
   * endpoints register there and the platform creates no zone of its own; required where the landing zone
   * denies private DNS zones in spokes.
   */
  privateDnsZoneIds: z
    .strictObject({
      aks: privateDnsZoneId('privatelink.<region>.azmk8s.io'),
      vault: privateDnsZoneId('privatelink.vaultcore.azure.net'),
      registry: privateDnsZoneId('privatelink.azurecr.io'),
      blob: privateDnsZoneId('privatelink.blob.core.windows.net'),
      /** Needed when an Azure OpenAI account is named (llm.models[].resourceId): its endpoint registers here. */
      openai: privateDnsZoneId('privatelink.openai.azure.com').optional(),
    })
    .optional(),
});

export const azureSchema = z.strictObject({
  subscriptionId: uuid,
  tenantId: uuid,
  /** Entra ID groups that get cluster-admin through Azure RBAC. */
  adminGroupObjectIds: z.array(uuid).min(1, { message: 'must name at least one group' }),
  /**
   * Object id of the deploy identity (the runner's managed identity or service principal): it creates
   * keys, applies every stack and gets AKS RBAC Cluster Admin. A stable id, never "whoever runs terraform".
   */
  deployerPrincipalId: uuid,
  /** Object id of the drift identity: read-only roles (Reader, Key Vault Reader, blob reader on state, AKS RBAC Reader). */
  driftPrincipalId: uuid.optional(),
  /**
   * `isolated` (default): network-isolated AKS, outbound type `none`, node bootstrap artifacts from the
   * platform registry's cache; nothing leaves the VNet at bootstrap. `firewall`: all egress routed
   * (userDefinedRouting) to the hub firewall at `firewallPrivateIp`, which must allow AKS's egress list.
   */
  egress: z.enum(['isolated', 'firewall']).default('isolated'),
  landingZone: landingZoneSchema,
  /**
   * Private IP of the hub firewall: with `egress: firewall` every packet out goes there; with `isolated`
   * it is optional and only routes what workloads need beyond the VNet (Entra ID token exchange).
   */
  firewallPrivateIp: z
    .string()
    .regex(/^(\d{1,3}\.){3}\d{1,3}$/, { message: 'must be an IPv4 address' })
    .optional(),
  /**
   * ARM id of the subnet the deploy runner sits in (the hub / landing zone). The state stack's Key Vault
   * and storage account have public network access off, so it gets private endpoints there; required
   * with the azurerm state backend.
   */
  deployRunnerSubnetId: z
    .string()
    .regex(/^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/, {
      message: 'must be a subnet resource id such as /subscriptions/<uuid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>',
    })
    .optional(),
  /** Days Key Vault keeps deleted keys and secrets (purge protection is always on). */
  softDeleteRetentionDays: z.number().int().min(7).max(90).default(90),
});

export const networkSchema = z.strictObject({
  /** The VPC / VNet address space. */
  cidr,
  /** Zones to spread subnets and node pools over; a zone-less region takes 1. */
  zoneCount: z.number().int().min(1).max(3).default(3),
  /** Kubernetes service range (must not overlap the network). */
  serviceCidr: cidr.default('172.20.0.0/16'),
  /** Pod range for overlay networking (AKS CNI overlay); EKS pods take VPC addresses. */
  podCidr: cidr.default('100.64.0.0/16'),
  /**
   * AWS: where the deploy runners live (the hub network, peered or attached through a transit gateway).
   * The private EKS API admits these ranges on 443. Required on AWS by rules.ts; refused on Azure, whose
   * runner ranges are azure.landingZone.runnerCidrs.
   */
  deployRunnerCidrs: z.array(cidr).default([]),
});

const nodePoolSchema = z.strictObject({
  instanceType: z.string().min(1),
  min: z.number().int().min(0),
  max: z.number().int().min(1),
  diskSizeGb: z.number().int().min(20).max(2000).default(100),
});

export const gpuPoolSchema = z.strictObject({
  family: z.enum(GPU_FAMILIES),
  instanceType: z.string().min(1),
  min: z.number().int().min(0).default(0),
  max: z.number().int().min(1),
  diskSizeGb: z.number().int().min(20).max(2000).default(200),
  /**
   * Set when the catalog says availability in the region is unknown and the environment owner has
   * confirmed the size with the cloud provider (quota, offering). Never needed where it is known.
   */
  availabilityConfirmed: z.boolean().default(false),
});

export const nodePoolsSchema = z.strictObject({
  system: nodePoolSchema,
  general: nodePoolSchema,
  gpu: gpuPoolSchema,
});

export const registrySchema = z.strictObject({
  /** In-region registry path every image is pulled from: `<host>/<path>` with no scheme. */
  imageMirror: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, {
    message: 'must be a registry host and optional path without scheme, e.g. 123456789012.dkr.ecr.me-central-1.amazonaws.com/mirror',
  }),
  /** In-region OCI repository charts are pulled from. */
  chartMirror: z.string().regex(/^oci:\/\/[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, {
    message: 'must be an OCI repository such as oci://123456789012.dkr.ecr.me-central-1.amazonaws.com/charts',
  }),
});

/**
 * The state stack creates the bucket/storage account every other stack keeps its state in, so its first
 * apply keeps its own state locally (`state/<env>/` beside the synth directory). Set this to true once
 * that state has been migrated into the store it created (docs/rollout.md): the state stack is then
 * synthesized against the store, like every other stack.
 */
const bootstrapMigrated = z.boolean().default(false);

export const stateSchema = z.discriminatedUnion('backend', [
  z.strictObject({
    backend: z.literal('s3'),
    /** Defaults to `<name>-tfstate-<accountId>`. */
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be a valid S3 bucket name' }).optional(),
    bootstrapMigrated,
  }),
  z.strictObject({
    backend: z.literal('azurerm'),
    /** Defaults to a name derived from the environment (3-24 lowercase letters and digits). */
    storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, { message: 'must be 3-24 lowercase letters and digits' }).optional(),
    containerName: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/, { message: 'must be a valid container name' }).default('tfstate'),
    bootstrapMigrated,
  }),
  z.strictObject({
    backend: z.literal('local'),
    /** Relative to the working directory, so synthesized output does not depend on the checkout's location. */
    directory: z
      .string()
      .refine((dir) => !dir.startsWith('/') && !dir.split('/').includes('..'), { message: 'must be a relative path inside the project' })
      .default('terraform-state'),
  }),
  z.strictObject({
    backend: z.literal('hcp'),
    /** Self-hosted Terraform Enterprise in the region; HCP Terraform's SaaS keeps state abroad. */
    hostname: z.string().min(1),
    organization: z.string().min(1),
    /** Each stack gets its own workspace `<prefix>-<stack>`. Defaults to the environment name. */
    workspacePrefix: z.string().regex(/^[A-Za-z0-9_-]+$/, { message: 'must be letters, digits, "-" and "_"' }).optional(),
  }),
]);

const chartOverrides = z.strictObject(
  Object.fromEntries(Object.keys(CHARTS).map((key) => [key, semver.optional()])) as Record<keyof typeof CHARTS, z.ZodOptional<typeof semver>>,
);
const imageOverrides = z.strictObject(
  Object.fromEntries(Object.keys(IMAGES).map((key) => [key, imageTag.optional()])) as Record<keyof typeof IMAGES, z.ZodOptional<typeof imageTag>>,
);

export const versionsSchema = z.strictObject({
  kubernetes: z.enum(SUPPORTED_KUBERNETES_VERSIONS).default(KUBERNETES_VERSION),
  charts: chartOverrides.default({}),
  images: imageOverrides.default({}),
});

export const COUNTRY_CODES = ['AE', 'BH', 'QA'] as const;

export const sovereigntySchema = z.strictObject({
  profile: z.enum(PROFILE_IDS as [string, ...string[]]),
  /** Data-sharing agreements that admit a profile's conditional regions (by country). */
  dataSharingAgreements: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        countries: z.array(z.enum(COUNTRY_CODES)).min(1),
        /** Where an auditor finds the signed agreement. */
        reference: z.string().min(10, { message: 'must say where the signed agreement is (at least 10 characters)' }),
      }),
    )
    .default([]),
});

export const LLM_PROVIDERS = ['azure-openai', 'bedrock'] as const;
export const AZURE_OPENAI_DEPLOYMENT_TYPES = [
  'Standard',
  'ProvisionedManaged',
  'GlobalStandard',
  'GlobalProvisionedManaged',
  'GlobalBatch',
  'DataZoneStandard',
  'DataZoneProvisionedManaged',
  'DataZoneBatch',
] as const;

export const llmModelSchema = z.strictObject({
  /** The alias tenants and the orchestrator use. */
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'must be lowercase letters, digits, ".", "_" and "-"' }),
  provider: z.enum(LLM_PROVIDERS),
  /** The cloud region the model runs in: Azure location for azure-openai, AWS region for bedrock. */
  region: z.string().min(1),
  /** Azure OpenAI deployment name or Bedrock model id. */
  model: z.string().min(1),
  /** Azure OpenAI endpoint (resolved through a private endpoint); not used by bedrock. */
  endpoint: z.string().regex(/^https:\/\/[a-z0-9.-]+\/?$/, { message: 'must be an https URL' }).optional(),
  /**
   * ARM id of the Azure OpenAI account (`Microsoft.CognitiveServices/accounts`). On an Azure platform the
   * platform stack creates the private endpoint to it in the cluster's VNet; required there.
   */
  resourceId: z
    .string()
    .regex(/^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+$/, {
      message: 'must be an Azure OpenAI account id such as /subscriptions/<uuid>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>',
    })
    .optional(),
  /**
   * Azure OpenAI deployment type. `Global*` and `DataZone*` deployments process prompts outside the
   * deployment's region: refused unless llm.crossRegionAgreement is declared.
   */
  deploymentType: z.enum(AZURE_OPENAI_DEPLOYMENT_TYPES).optional(),
});

export const llmSchema = z.strictObject({
  models: z.array(llmModelSchema).min(1, { message: 'must declare at least one model' }),
  /** Ordered fallbacks per model alias (deterministic topology). */
  fallbacks: z.array(z.strictObject({ model: z.string(), to: z.array(z.string()).min(1) })).default([]),
  /**
   * A private network path from this platform's network to the other cloud's LLM service (e.g. a
   * Direct Connect / ExpressRoute interconnect with DNS for the provider's private endpoint), run by the
   * organisation outside these stacks. Without it, a model of the other cloud is unreachable (no internet
   * egress) and an error. Credentials for such a model come from the secret store (provider keys).
   */
  interconnect: z
    .strictObject({
      reference: z.string().min(10, { message: 'must say where the interconnect is documented (at least 10 characters)' }),
      providers: z.array(z.enum(LLM_PROVIDERS)).min(1),
    })
    .optional(),
  /**
   * A data-processing agreement that allows models outside the profile's regions. Without it, a model
   * outside the profile is an error.
   */
  crossRegionAgreement: z
    .strictObject({
      reference: z.string().min(10, { message: 'must say where the signed agreement is (at least 10 characters)' }),
      regions: z.array(z.string().min(1)).min(1),
    })
    .optional(),
});

/** Five cron fields (minute hour day-of-month month day-of-week), as a Kubernetes CronJob takes them. */
const cronSchedule = z
  .string()
  .regex(/^(\S+\s+){4}\S+$/, { message: 'must be a cron schedule of five fields, e.g. "30 1 * * *" (UTC)' });

const QDRANT_BACKUP_DEFAULTS = { schedule: '30 1 * * *', retentionDays: 14 };

const qdrantBackupSchema = z.strictObject({
  /** When the snapshot CronJob runs, UTC (default daily 01:30). */
  schedule: cronSchedule.default(QDRANT_BACKUP_DEFAULTS.schedule).describe('cron schedule of the snapshot CronJob, UTC'),
  /** Snapshots older than this are pruned; the newest of each peer and collection is always kept. */
  retentionDays: z.number().int().min(1).max(3650).default(QDRANT_BACKUP_DEFAULTS.retentionDays).describe('days a snapshot is kept'),
});

const CLICKHOUSE_BACKUP_DEFAULTS = { schedule: '0 2 * * *', retentionDays: 14, workGi: 100 };

const clickhouseBackupSchema = z.strictObject({
  /** When the dump CronJob runs, UTC (default daily 02:00, after the Qdrant snapshots). */
  schedule: cronSchedule.default(CLICKHOUSE_BACKUP_DEFAULTS.schedule).describe('cron schedule of the ClickHouse dump CronJob, UTC'),
  /** Backups older than this are pruned; the newest complete one is always kept. */
  retentionDays: z.number().int().min(1).max(3650).default(CLICKHOUSE_BACKUP_DEFAULTS.retentionDays).describe('days a ClickHouse backup is kept'),
  /** Staging volume for one whole dump (Native format is uncompressed: several times the on-disk size). */
  workGi: z.number().int().min(10).default(CLICKHOUSE_BACKUP_DEFAULTS.workGi).describe('GiB of the staging volume for one dump'),
});

export const componentsSchema = z.strictObject({
  qdrant: z
    .strictObject({
      replicas: z.number().int().min(1).default(3),
      /** Defaults to twice the peers: shards do not rebalance on scale, so start with headroom. */
      shards: z.number().int().min(1).optional(),
      replicationFactor: z.number().int().min(1).max(5).default(2),
      storageGi: z.number().int().min(10).default(100),
      /** Expected vectors; above 50M collections are created with int8 scalar quantization. */
      expectedVectors: z.number().int().min(0).default(0),
      /**
       * The shared collections (one per corpus, tenants isolated by `tenant_id` payload), created by the
       * workloads stack's collection Job. Every tenant corpus must be one of them.
       */
      collections: z
        .array(z.strictObject({ name: dnsLabel(63), distance: z.enum(['Cosine', 'Dot', 'Euclid', 'Manhattan']).default('Cosine') }))
        .min(1)
        .default([{ name: 'documents', distance: 'Cosine' }]),
      /** Scheduled snapshots of every collection on every peer into `qdrant/` of the platform's object storage. */
      backup: qdrantBackupSchema.default(QDRANT_BACKUP_DEFAULTS),
    })
    .default({
      replicas: 3,
      replicationFactor: 2,
      storageGi: 100,
      expectedVectors: 0,
      collections: [{ name: 'documents', distance: 'Cosine' }],
      backup: QDRANT_BACKUP_DEFAULTS,
    }),
  tei: z.strictObject({
    modelId: z.string().regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, { message: 'must be a model id such as BAAI/bge-m3' }),
    /** The model's commit sha: a branch name would change under us. */
    revision: z.string().regex(/^[0-9a-f]{40}$/, { message: 'must be a 40-character commit sha' }),
    replicas: z.number().int().min(1).default(1),
    maxBatchTokens: z.number().int().min(512).default(16384),
    /** Embedding size, the collections' vector size; known models need none (lib/components/tei-model.ts). */
    dimensions: z.number().int().min(1).optional(),
  }),
  langfuse: z
    .strictObject({
      /**
       * Host name people reach Langfuse at, through the internal ingress (your private DNS resolves it to
       * the internal load balancer). Without it Langfuse is reachable only inside the cluster.
       */
      hostname: z
        .string()
        .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { message: 'must be a fully qualified lower-case host name such as langfuse.rag.internal.example' })
        .optional(),
      /** TLS Secret (in `observability`) with the certificate for `hostname`, issued by your internal CA. */
      tlsSecretName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a Kubernetes Secret name' }).optional(),
      /** Single sign-on through your OpenID Connect provider (Entra ID, Keycloak, ...); its client secret is external. */
      sso: z
        .strictObject({
          issuer: z.string().regex(/^https:\/\/[^\s]+$/, { message: 'must be an https:// issuer URL' }),
          clientId: z.string().min(1),
          name: z.string().min(1).default('SSO'),
        })
        .optional(),
      /** Scheduled logical backups of every ClickHouse table into `clickhouse/` of the platform's object storage. */
      clickhouseBackup: clickhouseBackupSchema.default(CLICKHOUSE_BACKUP_DEFAULTS),
    })
    .default({ clickhouseBackup: CLICKHOUSE_BACKUP_DEFAULTS }),
  /** LiteLLM's and Langfuse's Postgres: one CloudNativePG Cluster each (docs/restore.md). */
  postgres: z
    .strictObject({
      backup: z
        .strictObject({
          /** Base backups and WAL older than the newest backup that covers this window are pruned. */
          retentionDays: z.number().int().min(1).max(3650).default(30),
        })
        .default({ retentionDays: 30 }),
      /**
       * Environments created before CloudNativePG: keep the groundhog2k Postgres releases running and
       * bootstrap each Cluster by importing the old database (pg_dump/pg_restore at creation); LiteLLM and
       * Langfuse switch to the Cluster in the same apply. Set to false in a later apply to remove the old
       * releases (docs/restore.md, "Moving the data over"). New environments leave it false.
       */
      importLegacyReleases: z.boolean().default(false),
    })
    .default({ backup: { retentionDays: 30 }, importLegacyReleases: false }),
  orchestrator: z.strictObject({
    /** Repository path inside the image mirror (or the platform registry). */
    repository: z.string().regex(/^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/, { message: 'must be a repository path' }),
    tag: imageTag,
    replicas: z.number().int().min(3, { message: 'must be at least 3 (PDB minAvailable is 2)' }).default(3),
    maxReplicas: z.number().int().min(3).default(12),
  }),
});

export const tenantSchema = z.strictObject({
  id: dnsLabel(30),
  displayName: z.string().min(1),
  tier: z.enum(['standard', 'premium', 'critical']).default('standard'),
  dataClassification: z.enum(['internal', 'confidential', 'restricted']).default('confidential'),
  llm: z.strictObject({
    monthlyBudgetUsd: z.number().min(0, { message: 'must not be negative' }),
    requestsPerMinute: z.number().int().min(1),
    tokensPerMinute: z.number().int().min(1),
    allowedModels: z.array(z.string()).min(1, { message: 'must allow at least one model' }),
    maxParallelRequests: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        "the tenant's circuit breaker: LLM requests LiteLLM lets its key have in flight at once; beyond it requests are refused at once (429), so a tenant whose calls slow down cannot hold the gateway's capacity. Default: requestsPerMinute / 6 rounded up (the full rate at 10 s per request)",
      ),
  }),
  embeddings: z.strictObject({
    monthlyTokenCap: z.number().int().min(1),
  }),
  quota: z
    .strictObject({
      cpu: z.string().regex(/^\d+(\.\d+)?m?$/, { message: 'must be a Kubernetes CPU quantity such as 8 or 500m' }).default('8'),
      memory: z.string().regex(/^\d+(Ki|Mi|Gi|Ti)$/, { message: 'must be a Kubernetes memory quantity such as 16Gi' }).default('16Gi'),
      pods: z.number().int().min(1).default(50),
    })
    .default({ cpu: '8', memory: '16Gi', pods: 50 }),
  /** Bring-your-own key for the tenant's data (KMS key ARN / Key Vault key id). */
  customerManagedKeyId: z.string().min(1).optional(),
  /**
   * Removal, step 1: deploy with `true` to run the tenant's offboarding Jobs (LiteLLM team and keys, queue
   * ACL user and streams), then destroy the tenant's stack, then delete the entry (docs/tenancy.md).
   * `npm run offboard -- --tenant <id>` does the first two with this forced on in memory.
   */
  offboard: z.boolean().default(false),
  /** Shared Qdrant collections (one per corpus) the tenant's points live in, isolated by `tenant_id` payload. */
  corpora: z.array(dnsLabel(63)).min(1, { message: 'must name at least one corpus' }).default(['documents']),
  /** The tenant's ingestion workers, scaled by KEDA on the tenant's own queue. */
  ingestion: z
    .strictObject({
      minReplicas: z.number().int().min(0).default(0),
      maxReplicas: z.number().int().min(1).default(10),
      /** Queued entries per worker before another one is started. */
      lagPerReplica: z.number().int().min(1).default(20),
      /** Failed deliveries before an entry is moved to the quarantine (dead-letter) stream. */
      maxDeliveries: z.number().int().min(1).max(100).default(5),
    })
    .refine((ingestion) => ingestion.minReplicas <= ingestion.maxReplicas, { message: 'minReplicas must not exceed maxReplicas', path: ['minReplicas'] })
    .default({ minReplicas: 0, maxReplicas: 10, lagPerReplica: 20, maxDeliveries: 5 }),
});

export const policySchema = z.strictObject({
  exceptions: z
    .array(
      z.strictObject({
        rule: z.string().min(1),
        resource: z.string().min(1),
        /** The stack the exception applies to (tenant stacks share addresses, so an exception names one). */
        stack: z.string().min(1),
        reason: z.string().superRefine((reason, ctx) => {
          const problem = exceptionReasonProblem(reason);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        }),
        /** Last day (YYYY-MM-DD) the exception applies; the gate compares it with the date the CLI passes. */
        expires: z.string().refine(isIsoDate, { message: 'must be a date YYYY-MM-DD' }).optional(),
      }),
    )
    .default([]),
});

/**
 * What the environment is sized for (optional). `npm run capacity` plans from it and every synth's
 * evidence pack compares the plan with the sizes set in this file: a size below the advice is a
 * warning, never changed silently.
 */
export const capacitySchema = z.strictObject({
  /** Steady-state RAG requests per second. */
  steadyQps: z.number().positive({ message: 'must be greater than 0' }),
  /** Vectors the corpus will hold (all tenants, one copy). */
  vectors: z.number().int().min(1),
  /** Embedding dimensions of the TEI model. */
  dims: z.number().int().min(1).default(768),
  /** Peak traffic as a multiple of steady. */
  peakFactor: z.number().min(1).default(3),
  /** LLM tokens per month, for the record: tokens are billed by the provider, outside the estimate. */
  tokensPerMonth: z.number().int().min(0).optional(),
});

// The descriptions land in the JSON Schema (editor hovers) and in docs/environment.md (`npm run schema`).
export const environmentSchema = z.strictObject({
  name: dnsLabel(20).describe('DNS label, at most 20 characters; prefixes every stack and resource'),
  cloud: z.enum(['aws', 'azure']).describe('the cloud the environment runs on'),
  sovereignty: sovereigntySchema.describe(
    'profile: uae-only; gcc (UAE home, Bahrain / Qatar only with a declared data-sharing agreement); core42-uae (Azure only); or the home country uae, bahrain or qatar (its own regions, another Gulf country\'s with an agreement). dataSharingAgreements admit a profile\'s conditional regions',
  ),
  region: z.string().min(1).describe('a region of `cloud` inside the sovereignty profile'),
  aws: awsSchema.optional().describe('required when cloud is aws: account, admin roles, and the role the deploy runner applies as'),
  azure: azureSchema
    .optional()
    .describe('required when cloud is azure: subscription, tenant, admin groups, deployer and drift principals, egress, landing zone (docs/operations.md)'),
  tags: z
    .record(
      z.string().regex(/^[A-Za-z0-9_.:/=+@-]{1,127}$/, { message: 'must be a tag key of letters, digits and _.:/=+@-' }),
      z.string().max(255),
    )
    .default({})
    .describe('tags added to every resource, besides the ones the library sets (environment, managed-by, component)'),
  network: networkSchema.describe('address ranges (they must not overlap) and zones; AWS: the deploy runners\' private ranges'),
  logRetentionDays: z
    .literal([90, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653])
    .default(365)
    .describe('retention of control-plane and flow logs (a CloudWatch-supported value)'),
  nodePools: nodePoolsSchema.describe('system, general and gpu pools; the GPU family must be offered in the region'),
  registry: registrySchema.describe('the in-region registry every image and chart is pulled from'),
  state: stateSchema.describe('where Terraform state lives; hcp = your in-region Terraform Enterprise (HCP Terraform SaaS is refused)'),
  versions: versionsSchema
    .default({ kubernetes: KUBERNETES_VERSION, charts: {}, images: {} })
    .describe('Kubernetes minor, and per-chart / per-image overrides of lib/versions.ts (exact versions only)'),
  llm: llmSchema.describe('models (region checked against the profile), fallbacks, interconnect and crossRegionAgreement; docs/components.md'),
  components: componentsSchema.describe('Qdrant, TEI (model id + commit revision), LiteLLM, Langfuse and orchestrator settings'),
  tenants: z.array(tenantSchema).default([]).describe('one stack each: budget and rate limits, allowed models, embedding cap, quota'),
  policy: policySchema.default({ exceptions: [] }).describe('policy-gate exceptions, each scoped to one stack, with a written reason and an optional expiry'),
  capacity: capacitySchema.optional().describe('inputs for `npm run capacity` (docs/capacity.md)'),
});

export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type EnvironmentInput = z.input<typeof environmentSchema>;
export type NodePoolConfig = z.output<typeof nodePoolSchema>;
export type GpuPoolConfig = z.output<typeof gpuPoolSchema>;
export type StateConfig = z.output<typeof stateSchema>;
export type TenantConfig = z.output<typeof tenantSchema>;
export type LlmModelConfig = z.output<typeof llmModelSchema>;
export type CapacityConfig = z.output<typeof capacitySchema>;
