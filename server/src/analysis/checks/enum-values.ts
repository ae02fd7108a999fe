// Enum values against their enum, as protobuf text format takes them: a bare name or a number, not a
// string; a name a bundled fork's enum has is that fork's (a warning), a name of none an error with
// look-alikes; a V2 type string in a V1 block is told which block format takes it.

import type { FieldNode, ScalarNode } from '../../parser/ast';
import type { EnumDef, FieldDef } from '../../schema/model';
import type { Schema } from '../../schema/schema';
import { bundledWithEnumValue } from '../../schema/bundled';
import { BVLC_TYPE_NAMES } from '../../schema/layer-types';
import { V1_LAYER_TYPE_NAMES } from '../../schema/v1-layer-types';
import { bundledHolderNote, forkFix, type CheckContext } from './context';
import { closestNames, didYouMean } from './suggest';
import { error, shown } from './value-words';

/**
 * A V2 type string in a V1 block (`layers { type: "Softmax" }`, often one block of a net written
 * `layer { }` elsewhere): say which block format takes the string, and the V1 name if there is one.
 */
function v1TypeNote(enumDef: EnumDef, written: string): string {
  if (enumDef.fullName !== 'caffe.V1LayerParameter.LayerType') return '';
  const v1 = Object.keys(V1_LAYER_TYPE_NAMES).find((k) => k !== 'NONE' && V1_LAYER_TYPE_NAMES[k] === written);
  if (v1 === undefined && !BVLC_TYPE_NAMES.has(written)) return '';
  const instead = v1 === undefined ? '' : `, or type: ${v1} in this one`;
  return ` "${written}" is how a layer { } block names its type; this block is layers { } (the V1 format): write layer instead of layers${instead}.`;
}

export function checkEnum(
  ctx: CheckContext,
  field: FieldNode,
  def: FieldDef,
  value: ScalarNode,
  schema: Schema,
): void {
  const enumDef = schema.enumOf(def);
  if (!enumDef) return;
  if (value.kind === 'string') {
    // The quoted name of a value (in any case, when only one value has it): the fix writes it bare.
    const named = enumDef.values.filter((v) => v.name.toLowerCase() === value.value.toLowerCase());
    const exact = named.find((v) => v.name === value.value) ?? (named.length === 1 ? named[0] : undefined);
    ctx.report({
      ...error(
        'expected-enum',
        `"${field.name}" takes a name of enum ${enumDef.fullName} without quotes (${enumNames(enumDef)}), not a string.${v1TypeNote(enumDef, value.value)}`,
        value,
      ),
      ...(exact ? { suggestions: [exact.name] } : {}),
    });
    return;
  }
  if (value.kind === 'identifier') {
    if (!value.negative && enumDef.values.some((v) => v.name === value.name)) return;
    const forks = value.negative ? [] : forksWithEnumValue(ctx, enumDef, (v) => v.name === value.name);
    if (forks.length > 0) {
      ctx.report({
        severity: 'warning',
        code: 'fork-field',
        message: `${forkFix(ctx, forks)}: ${value.name} is not a value of ${enumDef.name} in BVLC Caffe.`,
        start: value.start,
        end: value.end,
        forks,
      });
      return;
    }
    // Under a caffe.proto the user chose, a value a bundled schema's enum has is that Caffe's.
    const holders =
      value.negative || ctx.schemaKind !== 'user' ? [] : bundledWithEnumValue(enumDef.fullName, value.name);
    const suggestions =
      holders.length > 0
        ? []
        : closestNames(
            value.name,
            enumDef.values.map((v) => v.name),
          );
    ctx.report({
      ...error(
        'unknown-enum-value',
        `Enum type "${enumDef.fullName}" has no value named "${shown(ctx, value)}".${holders.length > 0 ? bundledHolderNote(holders) : didYouMean(suggestions)}`,
        value,
      ),
      ...(suggestions.length > 0 ? { suggestions } : {}),
      ...(holders.length > 0 ? { forks: holders } : {}),
    });
    return;
  }
  const integer = value.integer;
  if (integer === undefined) {
    ctx.report(
      error(
        'expected-integer',
        `Couldn't parse integer: ${value.text}. Enum numbers are whole numbers.`,
        value,
      ),
    );
    return;
  }
  const n = Number(integer);
  if (enumDef.values.some((v) => v.number === n)) return;
  const forks = forksWithEnumValue(ctx, enumDef, (v) => v.number === n);
  if (forks.length > 0) return;
  ctx.report(
    error(
      'unknown-enum-value',
      `Enum type "${enumDef.fullName}" has no value with number ${value.text} (${enumNames(enumDef)}).`,
      value,
    ),
  );
}

function enumNames(e: EnumDef): string {
  const shownValues = e.values.slice(0, 8).map((v) => `${v.name} = ${v.number}`);
  return shownValues.join(', ') + (e.values.length > 8 ? ', ...' : '');
}

function forksWithEnumValue(
  ctx: CheckContext,
  e: EnumDef,
  match: (v: { name: string; number: number }) => boolean,
): string[] {
  return ctx.forks.filter((f) => f.schema.enum(e.fullName)?.values.some(match)).map((f) => f.name);
}
