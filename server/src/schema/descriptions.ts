// Short explanations of Caffe's messages, fields and enum values, written for this project (not
// taken from caffe.proto's comments). Keys: 'caffe.Msg', 'caffe.Msg.field', 'caffe.Enum.VALUE'.
// They are the docs of the bundled schema; a user's caffe.proto brings its own comments instead.

import { DATA_DESCRIPTIONS } from './descriptions/data';
import { LAYER_DESCRIPTIONS } from './descriptions/layers';
import { NET_DESCRIPTIONS } from './descriptions/net';
import { SOLVER_DESCRIPTIONS } from './descriptions/solver';
import type { SchemaData } from './model';

export const DESCRIPTIONS: Readonly<Record<string, string>> = {
  ...NET_DESCRIPTIONS,
  ...DATA_DESCRIPTIONS,
  ...LAYER_DESCRIPTIONS,
  ...SOLVER_DESCRIPTIONS,
};

/** The engines of several layer types share one wording; filled in for each of their enums. */
const ENGINE_WORDS: Record<string, string> = {
  DEFAULT: 'Let Caffe choose (cuDNN when built with it).',
  CAFFE: "Caffe's own implementation.",
  CUDNN: 'NVIDIA cuDNN.',
};

/** A copy of `data` with descriptions as docs on messages, fields and enum values. */
export function withDescriptions(data: SchemaData, descriptions = DESCRIPTIONS): SchemaData {
  const doc = (key: string) => descriptions[key];
  return {
    package: data.package,
    messages: data.messages.map((m) => ({
      ...m,
      ...optionalDoc(doc(m.fullName)),
      fields: m.fields.map((f) => ({ ...f, ...optionalDoc(doc(`${m.fullName}.${f.name}`)) })),
    })),
    enums: data.enums.map((e) => ({
      ...e,
      ...optionalDoc(doc(e.fullName)),
      values: e.values.map((v) => ({
        ...v,
        ...optionalDoc(
          doc(`${e.fullName}.${v.name}`) ?? (e.name === 'Engine' ? ENGINE_WORDS[v.name] : undefined),
        ),
      })),
    })),
  };
}

function optionalDoc(doc: string | undefined): { doc?: string } {
  return doc === undefined ? {} : { doc };
}
