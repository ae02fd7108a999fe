// How an editor connects to the server: the command line must name a transport (VS Code passes
// --node-ipc; other editors --stdio, --socket=PORT or --pipe=NAME). Without one the server says how to
// start it instead of failing inside the LSP library.

const TRANSPORTS = /^--(stdio|node-ipc|socket=\d+|pipe=.+)$/;

export const SERVER_USAGE = `Usage: node dist/server.js --stdio | --node-ipc | --socket=PORT | --pipe=NAME

The Caffe prototxt language server speaks LSP over the transport named. Editors start it themselves:
VS Code through the extension, any other editor with \`node dist/server.js --stdio\`.
For the command line, use caffe-prototxt (bin/caffe-prototxt.js) instead.
`;

/** True when the arguments name a transport (or the process was started with an IPC channel). */
export function transportGiven(argv: readonly string[], hasIpcChannel: boolean): boolean {
  return hasIpcChannel || argv.some((a) => TRANSPORTS.test(a));
}
