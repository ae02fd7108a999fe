// The body of the graph layout thread: graphs in, laid-out graphs out, one at a time. Bundled as
// dist/graph-layout-worker.js; run from sources under tsx.

import { parentPort } from 'node:worker_threads';
import type { LaidOutGraph, NetGraph } from '../../../../common/graph/types';
import { layoutGraph } from './layout';

/** Main thread -> worker. */
export interface LayoutRequest {
  job: number;
  graph: NetGraph;
}

/** Worker -> main thread. */
export interface LayoutReply {
  job: number;
  laid: LaidOutGraph;
}

parentPort?.on('message', (request: LayoutRequest) => {
  void layoutGraph(request.graph).then((laid) => {
    const reply: LayoutReply = { job: request.job, laid };
    parentPort?.postMessage(reply);
  });
});
