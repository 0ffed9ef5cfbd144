import { validateEnvironment } from '../../lib/config/load';
import { awsExampleInput } from '../helpers';

/** The AWS example with a capacity: block and without the sizes the block can supply. */
function sizedByCapacity(): Record<string, any> {
  const input = awsExampleInput();
  input.capacity = { steadyQps: 50, vectors: 20_000_000, dims: 768 };
  delete input.components.qdrant;
  delete input.components.tei.replicas;
  return input;
}

describe('sizes derived from the capacity: block', () => {
  test('sizes the file leaves out come from the plan', () => {
    const config = validateEnvironment(sizedByCapacity(), 'env.yaml');
    expect(config.components.qdrant).toMatchObject({ replicas: 3, shards: 6, expectedVectors: 20_000_000, replicationFactor: 2 });
    expect(config.components.qdrant.storageGi).toBeGreaterThanOrEqual(10);
    expect(config.components.tei.replicas).toBe(2);
  });

  test('a value the file sets wins, even below the advice', () => {
    const input = sizedByCapacity();
    input.components.tei.replicas = 1;
    // Five peers over three zones put two in one zone: the replication factor must exceed that (rules.ts).
    input.components.qdrant = { replicas: 5, replicationFactor: 3 };
    const config = validateEnvironment(input, 'env.yaml');
    expect(config.components.tei.replicas).toBe(1);
    expect(config.components.qdrant.replicas).toBe(5);
    // Left-out neighbours are still derived, shards from the file's peers.
    expect(config.components.qdrant.expectedVectors).toBe(20_000_000);
    expect(config.components.qdrant.shards).toBe(10);
  });

  test('without a capacity: block the schema defaults apply', () => {
    const input = sizedByCapacity();
    delete input.capacity;
    const config = validateEnvironment(input, 'env.yaml');
    expect(config.components.tei.replicas).toBe(1);
    expect(config.components.qdrant).toMatchObject({ replicas: 3, expectedVectors: 0 });
  });

  test('an invalid capacity: block is reported by the schema, not used', () => {
    const input = sizedByCapacity();
    input.capacity.steadyQps = 0;
    expect(() => validateEnvironment(input, 'env.yaml')).toThrow(/capacity\.steadyQps/);
  });
});
