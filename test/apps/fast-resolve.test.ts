import { join } from 'path';
import { App, DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformElement, TerraformStack, TerraformVariable, Token } from 'cdktf';
import * as resolution from 'cdktf/lib/tokens/private/resolve';
import { buildEnvironment } from '../../apps/build';
import { fastResolve } from '../../apps/fast-resolve';
import { loadEnvironment } from '../../lib/config/load';
import { REPO_ROOT } from '../helpers';

// cdktf's own resolve, taken before buildEnvironment installs the fast one.
const cdktfResolve = resolution.resolve;
const resolver = new DefaultTokenResolver(new StringConcat());

function bothWays(scope: TerraformStack, value: unknown, preparing = false): { cdktf: string; fast: string } {
  const options = { scope, preparing, resolver };
  return { cdktf: JSON.stringify(cdktfResolve(value, options)) ?? 'undefined', fast: JSON.stringify(fastResolve(value, options)) ?? 'undefined' };
}

function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('fast token resolution (apps/fast-resolve.ts)', () => {
  it('resolves every kind of node exactly as cdktf does, key order and dropped undefined entries included', () => {
    const stack = new TerraformStack(new App(), 'fast');
    const variable = new TerraformVariable(stack, 'region', { type: 'string' });
    const count = new TerraformVariable(stack, 'count', { type: 'number' });
    const zones = new TerraformVariable(stack, 'zones', { type: 'list(string)' });
    const tags = new TerraformVariable(stack, 'tags', { type: 'map(string)' });
    const value = {
      plain: 'literal',
      expression: '${aws_vpc.main.id}',
      escaped: 'a } b ${ c',
      numberLike: ['1e5', 'ami-0123e4f', '1.5e-3', 7, 0, -1, 1.5e300],
      bools: [true, false, null],
      undefinedEntry: undefined,
      sparse: [1, undefined, 'x', undefined],
      // eslint-disable-next-line no-sparse-arrays
      holes: [1, , 3],
      date: new Date(0),
      empty: {},
      emptyList: [],
      token: variable.stringValue,
      inString: `prefix-${variable.stringValue}-suffix`,
      numberToken: count.numberValue,
      numberInString: `n=${Token.asString(count.numberValue)}`,
      numberConcatenated: `size ${count.numberValue}`,
      eStrings: ['e1', '1e', 'version', 'x|eE', '+e+', 'name-e-1', '.e.', 'release-2e', 'Ee9'],
      list: zones.listValue,
      numberList: Token.asNumberList(zones.listValue),
      listElement: [Fn.element(zones.listValue, 0)],
      map: tags.value,
      joined: Fn.join(',', zones.listValue),
      lazy: Lazy.stringValue({ produce: () => `lazy-${variable.stringValue}` }),
      lazyAny: Lazy.anyValue({ produce: () => ({ nested: { a: undefined, b: count.numberValue, c: [variable.stringValue] } }) }),
      // (nested: an object with a tokenized key goes to cdktf's resolve whole)
      tokenizedKey: { [`key-${variable.stringValue}`]: 'a tokenized key', other: 1 },
      nested: { deeper: { deepest: [{ a: 1, b: undefined }, { c: variable.stringValue }] } },
    };
    for (const preparing of [false, true]) {
      const { cdktf, fast } = bothWays(stack, value, preparing);
      expect(fast).toBe(cdktf);
    }
    for (const leaf of ['x', 7, true, null, undefined, variable.stringValue, count.numberValue, zones.listValue, [], {}]) {
      const { cdktf, fast } = bothWays(stack, leaf);
      expect(fast).toBe(cdktf);
    }
  });

  it('fails where cdktf fails, with its message (functions, constructs, circular structures, map token values, a list token among other elements)', () => {
    const stack = new TerraformStack(new App(), 'fast');
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const options = { scope: stack, preparing: false, resolver };
    const zones = new TerraformVariable(stack, 'zones', { type: 'list(string)' });
    const mixedList = { list: ['a', 1, ...zones.listValue] };
    for (const bad of [{ f: () => 1 }, { construct: stack }, circular, { v: Token.STRING_MAP_TOKEN_VALUE }, [Token.NUMBER_MAP_TOKEN_VALUE], mixedList]) {
      const expected = thrown(() => cdktfResolve(bad, options));
      expect(expected).not.toBe('no error');
      expect(thrown(() => fastResolve(bad, options))).toBe(expected);
    }
  });

  it.each(['gcc-uae-aws.yaml', 'gcc-uae-azure.yaml'])('gives cdktf\'s result for every element of every stack of %s', (example) => {
    const config = loadEnvironment(join(REPO_ROOT, 'examples', example));
    const { app } = buildEnvironment(config, 'unused');
    const stacks = app.node.children.filter((child): child is TerraformStack => child instanceof TerraformStack);
    stacks.forEach((stack) => stack.prepareStack());
    let compared = 0;
    for (const stack of stacks) {
      for (const element of stack.node.findAll().filter((node): node is TerraformElement => node instanceof TerraformElement)) {
        const { cdktf, fast } = bothWays(stack, element.toTerraform());
        expect(fast).toBe(cdktf);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });
});
