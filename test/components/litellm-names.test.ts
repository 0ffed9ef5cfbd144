import { join } from 'path';
import { parse } from 'yaml';
import { REPO_ROOT, resourcesOf, synthExample } from '../helpers';

test("LiteLLM's pod labels and Service name do not depend on the chart's default nameOverride", () => {
  const workloads = synthExample(join(REPO_ROOT, 'examples/gcc-uae-aws.yaml')).stacks['uae-prod-aws-workloads'];
  const values = parse(resourcesOf(workloads, 'helm_release').find(([, r]) => r.name === 'litellm')![1].values[0]);
  // Chart.Name is litellm-helm: without these the pods would be labelled litellm-helm and the Service
  // litellm-litellm-helm, and the llm-gateway network policies and the orchestrator's URL would miss them.
  expect(values).toMatchObject({ nameOverride: 'litellm', fullnameOverride: 'litellm' });
});
