// One wrapper for every request handler: finds the document, honours cancellation, and turns any
// thrown error into an error response so that the server survives every request.

import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import { paramsProblem } from './params';

export interface Logger {
  log(message: string): void;
  error(message: string): void;
}

export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

/**
 * Wraps `fn` so that a cancelled request is answered with RequestCancelled, malformed params with
 * InvalidParams, and an unexpected exception with an InternalError response (and a log line).
 */
export function guard<P, R>(
  name: string,
  logger: Logger,
  fn: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
  return async (params, token) => {
    if (token?.isCancellationRequested) return cancelled();
    if (params === null || typeof params !== 'object') {
      return new ResponseError(ErrorCodes.InvalidParams, `${name}: params must be an object`);
    }
    try {
      const result = await fn(params, token);
      if (token?.isCancellationRequested) return cancelled();
      return result;
    } catch (e) {
      if (e instanceof ResponseError) return e as ResponseError<void>;
      const err = e instanceof Error ? e : new Error(String(e));
      logger.error(`${name} failed: ${err.stack ?? err.message}`);
      return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${err.message}`);
    }
  };
}

/** The params of every request about one document. */
export interface DocumentParams {
  textDocument: { uri: string };
}

/**
 * A guarded request handler for a feature that works on one analysed document. Params of the wrong
 * shape are answered with InvalidParams; a request for a document that is not open (or that
 * `lookup` does not serve, e.g. another language) is answered with `fallback` (null / empty list).
 */
export function documentRequest<P extends DocumentParams, D, R>(
  name: string,
  logger: Logger,
  lookup: (uri: string) => D | undefined,
  fallback: R,
  fn: (doc: D, params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
  return guard<P, R>(name, logger, (params, token) => {
    const uri = params.textDocument?.uri;
    if (typeof uri !== 'string')
      throw new ResponseError(ErrorCodes.InvalidParams, `${name}: missing textDocument.uri`);
    const problem = paramsProblem(name, params);
    if (problem) throw new ResponseError(ErrorCodes.InvalidParams, problem);
    const doc = lookup(uri);
    if (doc === undefined) return fallback;
    return fn(doc, params, token);
  });
}

/** `lookup` restricted to open documents whose languageId is one of `languages`. */
export function inLanguages<D>(
  documents: { get(uri: string): { languageId: string } | undefined },
  lookup: (uri: string) => D | undefined,
  languages: readonly string[],
): (uri: string) => D | undefined {
  return (uri) => {
    const languageId = documents.get(uri)?.languageId;
    return languageId !== undefined && languages.includes(languageId) ? lookup(uri) : undefined;
  };
}
