import { IConstruct } from 'constructs';
import { TerraformElement, TerraformStack } from 'cdktf';
import { resolve } from 'cdktf/lib/_tokens';
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';

/**
 * A stack that synthesizes what preparing it already computed.
 *
 * cdktf prepares every stack before synthesizing any (`App.synth`): it converts and resolves each
 * element (`resolve(stack, element.toTerraform(), true)`) so that cross-stack references register their
 * outputs and remote-state data sources, and throws the result away; synthesizing then converts and
 * resolves each element again. That second pass was about a quarter of the CPU of a tenant stack (README,
 * "Cost of the main job"). Here preparing keeps each element's resolved fragment, and the element hands
 * it out, once, to the synthesis that follows; an element created after preparing (an output another
 * stack's reference adds) is converted as usual. The fragments are the same: a reference resolves to the
 * same expression when preparing (where it registers the cross-stack output) as afterwards.
 *
 * cdktf applies Aspects when it synthesizes, after preparing, and an Aspect may change elements, so
 * they are applied here first; cdktf applies them again, which is why Aspects in these stacks must give
 * the same result when applied twice (lib/tenancy/cloud-tags.ts does).
 */
export abstract class PreparedStack extends TerraformStack {
  prepareStack(): void {
    this.ensureBackendExists();
    invokeAspects(this);
    for (const element of terraformElements(this)) {
      keepFragment(element, resolve(this, element.toTerraform(), true));
    }
  }
}

/** `element.toTerraform()` returns `fragment` on its next call, and converts afresh after that. */
function keepFragment(element: TerraformElement, fragment: unknown): void {
  Object.defineProperty(element, 'toTerraform', {
    configurable: true,
    writable: true,
    value: () => {
      delete (element as { toTerraform?: unknown }).toTerraform;
      return fragment;
    },
  });
}

/** The stack's elements, not those of a nested stack (as cdktf's own, unexported, terraformElements). */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) {
    into.push(node);
  }
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) {
      terraformElements(child, into);
    }
  }
  return into;
}
