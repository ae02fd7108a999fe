// Input shapes for `shapes`: the --input-shape options, and for a data layer whose image size the file
// cannot say (an LMDB without crop_size, a mean_file instead of mean values, HDF5), the deploy net
// beside it: a net in the same folder without data layers that declares an input of the same name
// (`input:` or an Input layer). Its C×H×W is taken with the data layer's own batch size (and crop).

import path from 'node:path';
import type { NetModel } from '../../analysis/model/net';
import { readsData } from '../../analysis/shapes/deploy-inputs';
import { type StatedShape, type StatedShapes } from '../../analysis/shapes/input-shapes';
import type { Schema } from '../../schema/schema';
import { deployNetsIn, fillsBeside } from '../../workspace/deploy-nets';

/** The deploy nets' fills for the data layers of `net`, read from the folder of `file`. */
export function shapesFromDeployBeside(
  file: string,
  net: NetModel,
  schema?: Schema,
): StatedShapes | undefined {
  return readsData(net) ? fillsBeside(file, deployNetsIn(path.dirname(file), schema)) : undefined;
}

/** The --input-shape options, then for data layers still unknown, a deploy net beside the file. */
export function statedInputs(
  net: NetModel,
  schema: Schema | undefined,
  file: string,
  given: Map<string, StatedShape>,
): Map<string, StatedShape> {
  return new Map([...(shapesFromDeployBeside(file, net, schema) ?? []), ...given]);
}
