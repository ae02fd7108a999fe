// The analysis's checks, in the order they run, and which of them look at one resolved block at a
// time (analyze.ts runs them).

import { checkBlobs } from './blobs';
import type { Check } from './context';
import {
  checkDeprecatedFields,
  checkDuplicateFields,
  checkForkFields,
  checkRequiredFields,
  checkUnknownFields,
} from './fields';
import { checkDuplicateLayers } from './duplicate-layers';
import { checkIncludeExclude, checkLayerTypes, checkParamTypes } from './layers';
import { checkMissingLayerTypes } from './missing-layer-type';
import { checkNetFormat } from './net-format';
import { checkLegacyInputs } from './legacy-inputs';
import { checkReaderTransform } from './reader-transform';
import { checkLayerSettings } from './layer-settings';
import { checkV0Padding, checkV0Types } from './v0-upgrade';
import { checkLrSchedule } from './lr-schedule';
import { checkRegisteredLayerTypes } from './registered-types';
import { checkSolverFields } from './solver';
import { checkSolverNets } from './solver-nets';
import { checkSyntax } from './syntax';
import { checkValues } from './values';

/** Every check, in the order they run. */
export const CHECKS: readonly (readonly [string, Check])[] = [
  ['syntax', checkSyntax],
  ['unknown-field', checkUnknownFields],
  ['fork-field', checkForkFields],
  ['values', checkValues],
  ['duplicate-field', checkDuplicateFields],
  ['missing-required', checkRequiredFields],
  ['deprecated-field', checkDeprecatedFields],
  ['solver', checkSolverFields],
  ['lr-schedule', checkLrSchedule],
  ['solver-nets', checkSolverNets],
  ['format', checkNetFormat],
  ['legacy-inputs', checkLegacyInputs],
  ['v0-types', checkV0Types],
  ['v0-padding', checkV0Padding],
  ['layer-type', checkLayerTypes],
  ['missing-layer-type', checkMissingLayerTypes],
  ['registered-layer-type', checkRegisteredLayerTypes],
  ['param-type', checkParamTypes],
  ['reader-transform', checkReaderTransform],
  ['layer-settings', checkLayerSettings],
  ['duplicate-layer', checkDuplicateLayers],
  ['include-exclude', checkIncludeExclude],
  ['blobs', checkBlobs],
];

/**
 * The checks that look at one resolved block at a time (`ctx.blocks`), each block's problems decided
 * by the block alone: a version takes over those of the blocks an edit left as they were.
 */
export const BLOCK_CHECKS: ReadonlySet<Check> = new Set([
  checkUnknownFields,
  checkForkFields,
  checkValues,
  checkDuplicateFields,
  checkRequiredFields,
  checkDeprecatedFields,
]);

/**
 * Checks that also look at one block at a time (a solver's own fields), which an analysis for one
 * version runs with the block checks as the resolver hands blocks over; with a next version they run
 * over the whole tree (their problems are not taken over from an earlier version).
 */
export const ONE_BLOCK_CHECKS: ReadonlySet<Check> = new Set([
  checkSolverFields,
  checkLrSchedule,
  checkSolverNets,
]);
