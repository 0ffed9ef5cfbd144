import type { JobV1SpecTemplate, JobV1SpecTemplateSpecContainerEnv } from '@cdktf/provider-kubernetes/lib/job-v1';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from './security-context';

export interface PythonSpecJobPodProps {
  readonly labels: Readonly<Record<string, string>>;
  readonly containerName: string;
  /** The pinned python image in the mirror (standard library only). */
  readonly image: string;
  /** The ConfigMap holding the script and its JSON spec, mounted read-only at /spec. */
  readonly configMapName: string;
  readonly script: string;
  readonly spec: string;
  readonly env: readonly JobV1SpecTemplateSpecContainerEnv[];
}

/**
 * The pod of a provisioning Job that applies a JSON spec with a python script through an HTTP admin API
 * (LiteLLM teams and keys, Qdrant collections): restricted security context, no ServiceAccount token,
 * never restarted in place (the Job's backoff retries), the ConfigMap at /spec.
 */
export function pythonSpecJobPod(props: PythonSpecJobPodProps): JobV1SpecTemplate {
  return {
    metadata: { labels: { ...props.labels } },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
      container: [
        {
          name: props.containerName,
          image: props.image,
          command: ['python3', `/spec/${props.script}`, `/spec/${props.spec}`],
          env: [{ name: 'PYTHONDONTWRITEBYTECODE', value: '1' }, ...props.env],
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
          securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
          volumeMount: [{ name: 'spec', mountPath: '/spec', readOnly: true }],
        },
      ],
      volume: [{ name: 'spec', configMap: { name: props.configMapName } }],
    },
  };
}
