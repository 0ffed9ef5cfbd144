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
 * Characters around the `e` of cdktf's test for number tokens concatenated into a string (encoding.ts,
 * NUMBER_TOKEN_REGEX `[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)`): it matches exactly when some `e` has one of
 * BEFORE_E before it and one of AFTER_E after it, which `mayHoldNumberToken` checks without the
 * regular expression's backtracking (a tenth of the remaining resolution CPU).
 */
const BEFORE_E = new Set('-|0123456789.+');
const AFTER_E = new Set('-|0123456789.eE+');
/** cdktf refuses deeper paths as circular (resolve.ts); its own resolve raises the error. */
const MAX_DEPTH = 200;

function mayHoldNumberToken(value: string): boolean {
  for (let e = value.indexOf('e', 1); e !== -1 && e < value.length - 1; e = value.indexOf('e', e + 1)) {
    if (BEFORE_E.has(value[e - 1]) && AFTER_E.has(value[e + 1])) {
      return true;
    }
  }
  return false;
}

/** A string cdktf's resolve returns unchanged (its own checks find nothing to replace or refuse). */
function isPlainString(value: string): boolean {
  return !value.includes(TOKEN_MARKER) && !mayHoldNumberToken(value) && value !== Token.STRING_MAP_TOKEN_VALUE && value !== Token.ANY_MAP_TOKEN_VALUE;
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
      return value !== Token.NUMBER_MAP_TOKEN_VALUE && !encoding.unresolved(value) ? value : delegate(value);
    }
    if (typeof value !== 'object' || value instanceof Date) {
      return delegate(value);
    }
    if (Array.isArray(value)) {
      if (encoding.containsStringListTokenElement(value) || encoding.containsNumberListTokenElement(value)) {
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
