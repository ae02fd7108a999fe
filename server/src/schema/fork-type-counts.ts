// The classes the forks register under a layer type's name, told apart by the bottoms they take: a
// type of one name may be two layers (SegNet's Upsample unpools with a pooling mask as its second
// bottom, the YOLO ports' scales one blob), and a layer is a fork's only when that fork's class takes
// its bottom count. The counts are layer-types-forks.ts's.

import { bundledLabel, type BundledName } from './bundled';
import { namedForks } from './layer-types';
import { FORK_LAYER_TYPES } from './layer-types-forks';

/** The fork classes of `type` by bottom counts: the forks whose class takes `bottoms` (any, when unknown). */
export function fittingForks(type: string, forks: readonly string[], bottoms: number): readonly string[] {
  if (forks.length === 0) return forks;
  return forks.filter((f) =>
    FORK_LAYER_TYPES.some(
      (l) =>
        l.type === type &&
        l.forks?.includes(f) === true &&
        (l.bottoms === undefined ||
          (bottoms >= l.bottoms.min && (l.bottoms.max === undefined || bottoms <= l.bottoms.max))),
    ),
  );
}

/** "SegNet (alexgkendall/caffe-segnet) registers an Upsample of 2 bottoms", for a message. */
export function otherClasses(type: string, registering: readonly string[]): string {
  const named = namedForks(registering);
  const verb = named.length === 1 ? 'registers' : 'register';
  return `${named.map((n) => bundledLabel(n as BundledName)).join(' and ')} ${verb} ${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type} of ${countsOf(type, registering)}`;
}

/** "1 bottom", "1 to 3 bottoms": what the forks' classes of `type` take, for a message. */
function countsOf(type: string, forks: readonly string[]): string {
  const said = new Set<string>();
  for (const l of FORK_LAYER_TYPES) {
    if (l.type !== type || !l.forks?.some((f) => forks.includes(f)) || l.bottoms === undefined) continue;
    const { min, max } = l.bottoms;
    said.add(max === min ? `${min}` : max === undefined ? `${min} or more` : `${min} to ${max}`);
  }
  const counts = [...said].join(' or ');
  return `${counts} ${counts === '1' ? 'bottom' : 'bottoms'}`;
}
