// Array helpers that stay safe for arrays of any length. `target.push(...items)` and
// `Math.max(...items)` pass every item as a call argument, and V8 throws a RangeError once a call has
// more than about 120,000 of them; these loop instead.

/** Appends every item of `items` to `target` (in order) and returns `target`. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`, or `empty` when there are none. */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let max = empty;
  let first = true;
  for (const v of values) {
    if (first || v > max) max = v;
    first = false;
  }
  return max;
}

/**
 * The index of the last of `count` items, sorted by `keyAt`, whose key is at or before `at`; -1 when
 * none is (binary search).
 */
export function lastAtOrBefore(count: number, keyAt: (index: number) => number, at: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keyAt(mid) <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
