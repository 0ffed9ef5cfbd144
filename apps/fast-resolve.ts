import * as encoding from 'cdktf/lib/tokens/private/encoding';
import * as resolution from 'cdktf/lib/tokens/private/resolve';
import { IResolveContext, Token } from 'cdktf';

/**
 * A faster front end to cdktf's token resolution, with exactly its results.
 *
 * cdktf resolves every stack's JSON three times (prepare, each element, the whole document), and its
 * `resolve` pays for every node it visits, tokens or not: two resolution contexts (closures and
 * all) per object key, the key itself resolved like a value, the path joined into a string, three
 * regular expressions per string. Most nodes are plain: keys, literal strings, numbers, booleans and
 * the many undefined attributes of the providers' generated structs. In a 500-tenant synth that was
 * half of the CPU (node --cpu-prof: `resolve`, `makeContext`).
 *
 * `fastResolve` walks the plain part of the tree itself and hands everything else to cdktf's own
 * `resolve` (tokens, strings that carry a token marker or could encode a number token, list and map
 * tokens, Dates, functions, constructs, the depth limit), with the path and the context fields cdktf
 * would have passed at that node. A plain node comes out as cdktf returns it: the same value, undefined
 * object entries and array elements dropped, key order kept. test/apps/fast-resolve.test.ts compares
 * the two on every kind of node and on every element of the example environments.
 */

type ResolveOptions = resolution.IResolveOptions;

/** cdktf's `resolve`, as the module exported it before `installFastResolve`. */
const cdktfResolve = resolution.resolve;

/** Every string token marker (`${TfToken[`, `#{TfToken[`, `&{TfToken[`) contains this. */
const TOKEN_MARKER = 'TfToken[';
/**
 * cdktf's test for number tokens concatenated into a string (encoding.ts, NUMBER_TOKEN_REGEX
 * `[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)`) matches exactly when some `e` has one of its first class before it
 * and one of its second class after it: this is that test without the backtracking.
 */
const NUMBER_TOKEN = /[-|\d.+]e[-|\d.eE+]/;
/**
 * Token numbers are encoded as doubles of magnitude above 1e289 (encoding.ts, createTokenDouble); a
 * smaller number is plain without cdktf's check, which allocates buffers for every number.
 */
const PLAIN_NUMBER_LIMIT = 1e280;
/** cdktf refuses deeper paths as circular (resolve.ts); its own resolve raises the error. */
const MAX_DEPTH = 200;

/** A string cdktf's resolve returns unchanged (its own checks find nothing to replace or refuse). */
function isPlainString(value: string): boolean {
  return !value.includes(TOKEN_MARKER) && !NUMBER_TOKEN.test(value) && value !== Token.STRING_MAP_TOKEN_VALUE && value !== Token.ANY_MAP_TOKEN_VALUE;
}

/** A number cdktf's resolve returns unchanged. */
function isPlainNumber(value: number): boolean {
  return value !== Token.NUMBER_MAP_TOKEN_VALUE && (Math.abs(value) < PLAIN_NUMBER_LIMIT || !encoding.unresolved(value));
}

/** An element that could be a list token: cdktf's own check decides. */
function mayBeListToken(element: unknown): boolean {
  return typeof element === 'string' ? element.includes(TOKEN_MARKER) : typeof element === 'number' && !(Math.abs(element) < PLAIN_NUMBER_LIMIT);
}

/** An array cdktf's resolve walks element by element (no string or number list token in it). */
function isPlainArray(value: readonly unknown[]): boolean {
  return !value.some(mayBeListToken) || !(encoding.containsStringListTokenElement([...value]) || encoding.containsNumberListTokenElement([...value]));
}

/** An object cdktf's resolve walks key by key: not a token, a map token or a construct, only plain keys. */
function isPlainObject(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const construct = value._children !== undefined && value._metadata !== undefined;
  return typeof value.resolve !== 'function' && !construct && keys.every(isPlainString);
}

export function fastResolve(obj: unknown, options: ResolveOptions): unknown {
  const rootDepth = options.prefix?.length ?? 0;
  const path = [...(options.prefix ?? [])];
  // The context cdktf would pass below a plain node: plain nodes change none of its fields.
  let below: IResolveContext | undefined;
  const delegate = (value: unknown): unknown => {
    if (path.length === rootDepth) {
      return cdktfResolve(value, options);
    }
    below ??= {
      preparing: options.preparing,
      scope: options.scope,
      suppressBraces: options.previousContext?.suppressBraces,
      ignoreEscapes: options.previousContext?.ignoreEscapes,
      warnEscapes: options.previousContext?.warnEscapes,
      iteratorContext: options.previousContext?.iteratorContext,
      registerPostProcessor: () => undefined,
      resolve: (x: unknown) => cdktfResolve(x, { ...options, prefix: [...path], previousContext: below }),
    };
    return cdktfResolve(value, { ...options, prefix: [...path], previousContext: below });
  };
  const walk = (value: unknown): unknown => {
    if (path.length > MAX_DEPTH) {
      return delegate(value);
    }
    if (value === undefined || value === null || typeof value === 'boolean') {
      return value;
    }
    if (typeof value === 'string') {
      return isPlainString(value) ? value : delegate(value);
    }
    if (typeof value === 'number') {
      return isPlainNumber(value) ? value : delegate(value);
    }
    if (typeof value !== 'object' || value instanceof Date) {
      return delegate(value);
    }
    if (Array.isArray(value)) {
      if (!isPlainArray(value)) {
        return delegate(value);
      }
      const resolved: unknown[] = [];
      for (let index = 0; index < value.length; index++) {
        path.push(`${index}`);
        const element = walk(value[index]);
        path.pop();
        if (element !== undefined) {
          resolved.push(element);
        }
      }
      return resolved;
    }
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (!isPlainObject(object, keys)) {
      return delegate(value);
    }
    const resolved: Record<string, unknown> = {};
    for (const key of keys) {
      path.push(key);
      const entry = walk(object[key]);
      path.pop();
      if (entry !== undefined) {
        resolved[key] = entry;
      }
    }
    return resolved;
  };
  return walk(obj);
}

/**
 * Makes cdktf's `Tokenization.resolve` (every resolution of a stack's JSON) go through `fastResolve`.
 * Idempotent; `SYNTH_FAST_RESOLVE=0` keeps cdktf's own, to compare or to rule this out.
 */
export function installFastResolve(): void {
  if (process.env.SYNTH_FAST_RESOLVE === '0') {
    return;
  }
  // cdktf's token module calls `resolve` through this module object, so replacing the export suffices.
  (resolution as { resolve: typeof resolution.resolve }).resolve = fastResolve;
}
