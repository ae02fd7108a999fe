// The layers Caffe keeps for a net state (net.cpp FilterNet): a layer's include and exclude rules
// against the phase, level and stages the net is built in.
//
//   layersInPhase(net, phase, options?) -> the layers kept in that phase (the file's state merged in)
//   layersKept(net, phase, level, stages) -> the layers kept in exactly that state, made once per state

import type { NetLayer, NetModel, Phase, StateRule } from './net';

export interface NetStateOptions {
  /** Stages added to those of the file's `state { }` (as `caffe --stage` does). */
  stages?: readonly string[];
  /** Replaces the file's level (default: the file's, else 0). */
  level?: number;
}

/** Caffe's StateMeetsRule: phase, level bounds, all `stage`s present, no `not_stage` present. */
export function stateMeetsRule(
  rule: StateRule,
  phase: Phase,
  level: number,
  stages: readonly string[],
): boolean {
  if (rule.phase !== undefined && rule.phase !== phase) return false;
  if (rule.minLevel !== undefined && level < rule.minLevel) return false;
  if (rule.maxLevel !== undefined && level > rule.maxLevel) return false;
  // Plain loops: asked for every layer with rules in every state checked.
  const needed = rule.stages;
  for (let i = 0; i < needed.length; i++) if (!stages.includes(needed[i])) return false;
  const refused = rule.notStages;
  for (let i = 0; i < refused.length; i++) if (stages.includes(refused[i])) return false;
  return true;
}

/**
 * The layers Caffe keeps for a net state (net.cpp FilterNet): a layer without include rules is kept
 * unless an exclude rule matches; a layer with include rules is kept when one of them matches.
 * The phase is given explicitly (Caffe's tools always set it; NetState's own default is TEST).
 */
export function layersInPhase(
  net: NetModel,
  phase: Phase,
  options: NetStateOptions = {},
): readonly NetLayer[] {
  const level = options.level ?? net.state.level ?? 0;
  return layersKept(net, phase, level, [...net.state.stages, ...(options.stages ?? [])]);
}

/** The layers FilterNet keeps in exactly this phase, level and stages (the file's state not added). */
export function layersKept(
  net: NetModel,
  phase: Phase,
  level: number,
  stages: readonly string[],
): readonly NetLayer[] {
  // Asked several times per state by the checks and the shapes of one analysis: made once per state
  // and net (a net's layer list is never changed once built).
  const all = net.layers;
  let lists = keptLists.get(all);
  if (lists === undefined) keptLists.set(all, (lists = new Map()));
  const key = stages.length === 0 ? `${phase} ${level}` : `${phase} ${level} ${JSON.stringify(stages)}`;
  let kept = lists.get(key);
  if (kept === undefined) {
    // Most nets have no rules at all: every layer is kept, in every state (the same list, not a copy).
    const ruled = all.some((layer) => layer.include.length > 0 || layer.exclude.length > 0);
    kept = ruled ? all.filter((layer) => layerKept(layer, phase, level, stages)) : all;
    lists.set(key, kept);
  }
  return kept;
}

/** The lists `layersKept` made, per net's layer list and state. */
const keptLists = new WeakMap<readonly NetLayer[], Map<string, readonly NetLayer[]>>();

/** Whether FilterNet keeps one layer in exactly this phase, level and stages (see layersKept). */
export function layerKept(layer: NetLayer, phase: Phase, level: number, stages: readonly string[]): boolean {
  // Without include rules a layer is kept unless an exclude rule matches; with them (exclude rules
  // then do not count), when one matches.
  const include = layer.include;
  if (include.length === 0) {
    const exclude = layer.exclude;
    for (let i = 0; i < exclude.length; i++)
      if (stateMeetsRule(exclude[i], phase, level, stages)) return false;
    return true;
  }
  for (let i = 0; i < include.length; i++) if (stateMeetsRule(include[i], phase, level, stages)) return true;
  return false;
}

/** True when two layer lists hold the same layers in the same order (e.g. the lists of two phases). */
export function sameLayers(x: readonly NetLayer[], y: readonly NetLayer[]): boolean {
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
