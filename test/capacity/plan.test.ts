import { SIZING } from '../../lib/capacity/assumptions';
import { CapacityInput, chooseGpu, LayerPlan, planCapacity } from '../../lib/capacity/plan';
import { GpuOffer, GPU_OFFERS } from '../../lib/sovereignty/gpu';

const SEED: CapacityInput = { steadyQps: 50, vectors: 20_000_000, dims: 768, peakFactor: 3, cloud: 'aws', region: 'me-central-1', currency: 'AED' };
const layer = (layers: LayerPlan[], name: string): LayerPlan => layers.find((candidate) => candidate.name === name)!;

describe('the seed worked example (50 QPS steady, 20M vectors, EKS me-central-1)', () => {
  const plan = planCapacity(SEED);

  test('reproduces the reference sizing layer by layer', () => {
    expect(plan.peakQps).toBe(150);
    expect(layer(plan.layers, 'orchestrator')).toMatchObject({ replicas: 4, vcpu: 2 });
    expect(layer(plan.layers, 'qdrant')).toMatchObject({ replicas: 3, instanceType: 'r6i.xlarge', quantization: 'int8' });
    expect(layer(plan.layers, 'tei')).toMatchObject({ replicas: 2, gpus: 1, settings: expect.objectContaining({ gpuFamily: 'L4' }) });
    expect(layer(plan.layers, 'tei').instanceType).toMatch(/^g6\./);
    expect(layer(plan.layers, 'litellm')).toMatchObject({ replicas: 3, vcpu: 1 });
    expect(layer(plan.layers, 'langfuse').replicas).toBeGreaterThanOrEqual(SIZING.langfuse.minWorkers);
  });

  test('costs 25,000-40,000 AED a month, the seed range, and the total is the sum of the layers', () => {
    expect(plan.monthlyCost.currency).toBe('AED');
    expect(plan.monthlyCost.total).toBeGreaterThanOrEqual(25_000);
    expect(plan.monthlyCost.total).toBeLessThanOrEqual(40_000);
    expect(Object.keys(plan.monthlyCost.byLayer).sort()).toEqual(['langfuse', 'litellm', 'orchestrator', 'platform', 'qdrant', 'tei']);
    expect(Object.values(plan.monthlyCost.byLayer).reduce((a, b) => a + b, 0)).toBe(plan.monthlyCost.total);
    expect(plan.monthlyCost.priceBook.estimate).toBe(true);
    expect(plan.warnings.join('\n')).toContain('estimates');
  });

  test('AED follows the 3.6725 peg; USD and EUR on request', () => {
    const usd = planCapacity({ ...SEED, currency: 'USD' }).monthlyCost;
    const eur = planCapacity({ ...SEED, currency: 'EUR' }).monthlyCost;
    expect(Math.abs(plan.monthlyCost.total - usd.total * 3.6725)).toBeLessThan(10);
    expect(eur.total).toBeLessThan(usd.total);
    expect(eur.currency).toBe('EUR');
  });

  test('is deterministic', () => {
    expect(JSON.stringify(planCapacity(SEED))).toBe(JSON.stringify(plan));
  });
});

describe('sizing rules', () => {
  test('memory fit decides int8: a small collection stays float32, a large one is quantized', () => {
    const small = layer(planCapacity({ ...SEED, vectors: 2_000_000 }).layers, 'qdrant');
    // 2M x 768 x 4 B x 1.5 x 2 replicas / 3 peers = 5.7 GiB per peer, under 70% of 32 GiB.
    expect(small).toMatchObject({ instanceType: 'r6i.xlarge', quantization: 'none' });
    const large = layer(planCapacity({ ...SEED, vectors: 20_000_000 }).layers, 'qdrant');
    expect(large.quantization).toBe('int8');
    expect(large.why.join(' ')).toMatch(/float32 57\.2 GiB per peer exceeds 22\.4 GiB/);
  });

  test('when even int8 does not fit, the peer grows before the cluster does', () => {
    // 200M vectors: int8 = 200M x 768 x 1.5 x 2 / 3 = 143 GiB per peer -> r6i.8xlarge (179 GiB usable).
    const huge = layer(planCapacity({ ...SEED, vectors: 200_000_000 }).layers, 'qdrant');
    expect(huge).toMatchObject({ instanceType: 'r6i.8xlarge', quantization: 'int8' });
    // 1B vectors: beyond the largest node, more peers.
    const beyond = layer(planCapacity({ ...SEED, vectors: 1_000_000_000 }).layers, 'qdrant');
    expect(beyond.instanceType).toBe('r6i.8xlarge');
    expect(beyond.replicas).toBeGreaterThan(3);
    expect(beyond.settings.shards).toBe(beyond.replicas * 2);
  });

  test('availability minimums hold at tiny load, and say why', () => {
    const tiny = planCapacity({ ...SEED, steadyQps: 0.1, vectors: 1000 });
    expect(layer(tiny.layers, 'orchestrator').replicas).toBe(3);
    expect(layer(tiny.layers, 'qdrant').replicas).toBe(3);
    expect(layer(tiny.layers, 'tei').replicas).toBe(2);
    expect(layer(tiny.layers, 'litellm').replicas).toBe(3);
    expect(layer(tiny.layers, 'langfuse').replicas).toBe(2);
    expect(layer(tiny.layers, 'orchestrator').why.join(' ')).toContain('availability minimum 3');
    expect(layer(tiny.layers, 'qdrant').why.join(' ')).toContain('Raft majority');
  });

  test('replicas grow with load: QPS per replica arithmetic', () => {
    const busy = planCapacity({ ...SEED, steadyQps: 500 });
    // 1500 x 1.3 / 50 = 39 orchestrators; 1500 / 500 = 3 gateways; 1500 / 1000 = 2 L4.
    expect(layer(busy.layers, 'orchestrator').replicas).toBe(39);
    expect(layer(busy.layers, 'litellm').replicas).toBe(3);
    expect(layer(busy.layers, 'tei').replicas).toBe(2);
    expect(layer(planCapacity({ ...SEED, steadyQps: 600 }).layers, 'litellm').replicas).toBe(4);
    // Higher dimensions cost more GPU: 1536 dims halves an L4's throughput.
    expect(layer(planCapacity({ ...SEED, steadyQps: 500, dims: 1536 }).layers, 'tei').replicas).toBe(3);
  });

  test('the general pool is whole nodes, the same count in every zone', () => {
    const plan = planCapacity(SEED);
    expect(plan.generalPool.nodes % 3).toBe(0);
    const zoneless = planCapacity({ ...SEED, cloud: 'azure', region: 'uaecentral' });
    expect(zoneless.generalPool.why).toContain('1 zone(s)');
  });

  test('each Postgres Cluster is priced at its instances: one per zone, at least 2, each with its volume', () => {
    const lines = (plan: ReturnType<typeof planCapacity>) => [...plan.monthlyCost.lines.litellm, ...plan.monthlyCost.lines.langfuse].map((line) => line.what);
    const zoned = lines(planCapacity(SEED));
    expect(zoned).toEqual(expect.arrayContaining(['3 x LiteLLM Postgres (1 vCPU, 2 GiB) on the general pool', '3 x 50 GiB volume (LiteLLM Postgres)']));
    expect(zoned).toEqual(expect.arrayContaining(['3 x Langfuse Postgres (1 vCPU, 2 GiB) on the general pool', '3 x 20 GiB volume (Langfuse Postgres)']));
    const zoneless = lines(planCapacity({ ...SEED, cloud: 'azure', region: 'uaecentral' }));
    expect(zoneless).toEqual(expect.arrayContaining(['2 x LiteLLM Postgres (1 vCPU, 2 GiB) on the general pool', '2 x 20 GiB volume (Langfuse Postgres)']));
    expect(layer(planCapacity(SEED).layers, 'langfuse').why.join(' ')).toContain('3 x Postgres (one per zone, at least 2)');
  });
});

describe('GPU availability from the sovereignty catalog', () => {
  test('a family the region does not offer is never proposed (g5/A10 is not offered in me-central-1)', () => {
    expect(chooseGpu('aws', 'me-central-1', { family: 'A10', confirmed: false })?.offer.family).toBe('L4');
    expect(chooseGpu('aws', 'me-south-1')?.offer.family).not.toBe('A10');
  });

  test('a region without the L4 family gets the next offered family, with its lower throughput', () => {
    const withoutL4: GpuOffer[] = GPU_OFFERS.map((offer) =>
      offer.cloud === 'aws' && offer.family === 'L4' ? { ...offer, availability: { 'me-central-1': 'not-offered' } } : offer,
    );
    const plan = planCapacity({ ...SEED, steadyQps: 500 }, withoutL4);
    const tei = layer(plan.layers, 'tei');
    expect(tei.settings.gpuFamily).toBe('T4');
    expect(tei.instanceType).toMatch(/^g4dn\./);
    // 1500/s at ~500 per T4 -> 3 GPUs.
    expect(tei.replicas).toBe(3);
    expect(plan.warnings.join('\n')).toContain('not published');
  });

  test('a region with no GPU family at all gets no GPU pool and a warning', () => {
    const none: GpuOffer[] = GPU_OFFERS.map((offer) => ({ ...offer, availability: { 'me-central-1': 'not-offered' } }));
    const plan = planCapacity(SEED, none);
    expect(layer(plan.layers, 'tei')).toMatchObject({ replicas: 0, instanceType: 'none' });
    expect(plan.monthlyCost.byLayer.tei).toBe(0);
    expect(plan.warnings.join('\n')).toContain('no GPU family is offered');
  });

  test('an unknown family the environment owner confirmed counts as offered', () => {
    expect(chooseGpu('azure', 'uaenorth', { family: 'A10', confirmed: true })).toMatchObject({ availability: 'offered', offer: { family: 'A10' } });
    expect(chooseGpu('azure', 'uaenorth')).toMatchObject({ availability: 'unknown' });
  });
});
