import { Construct } from 'constructs';
import { PriorityClassV1 } from '@cdktf/provider-kubernetes/lib/priority-class-v1';

/** Serving path (orchestrator, TEI, Qdrant, LiteLLM, ingress): preempts batch work, never the system classes. */
export const LATENCY_CRITICAL = 'rag-latency-critical';
/** Supporting services (Langfuse, stores, metrics): evicted after the serving path is safe. */
export const PLATFORM_SUPPORT = 'rag-platform-support';

export class PlatformPriorityClasses extends Construct {
  /** Pods naming a class that does not exist yet are rejected at admission: releases depend on these. */
  readonly classes: PriorityClassV1[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const latencyCritical = new PriorityClassV1(this, LATENCY_CRITICAL, {
      metadata: { name: LATENCY_CRITICAL },
      // Well below system-cluster-critical (2e9) so node agents and DNS always win.
      value: 100000,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: 'Latency-critical RAG serving path: orchestrator, ingress, TEI, Qdrant, LiteLLM.',
    });
    const platformSupport = new PriorityClassV1(this, PLATFORM_SUPPORT, {
      metadata: { name: PLATFORM_SUPPORT },
      value: 50000,
      globalDefault: false,
      // Supporting services wait for room instead of evicting others.
      preemptionPolicy: 'Never',
      description: 'Supporting platform services: Langfuse, data stores, monitoring.',
    });
    this.classes = [latencyCritical, platformSupport];
  }
}
