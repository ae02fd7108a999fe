// A minimal Debug Adapter Protocol client over a TCP socket, for tests that drive debugpy's adapter
// directly: Content-Length framing, requests answered by `seq`, and every event kept so that a test
// can wait for one that arrived before it asked.

import { connect, type Socket } from 'node:net';

export interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
}

export interface DapResponse extends DapMessage {
  type: 'response';
  request_seq: number;
  command: string;
  success: boolean;
  message?: string;
  body?: Record<string, unknown>;
}

export interface DapEvent extends DapMessage {
  type: 'event';
  event: string;
  body?: Record<string, unknown>;
}

const HEADER_END = '\r\n\r\n';

export class DapClient {
  private buffer = Buffer.alloc(0);
  private seq = 1;
  private readonly pending = new Map<number, (response: DapResponse) => void>();
  private readonly waiters: {
    match: (e: DapEvent) => boolean;
    resolve: (e: DapEvent) => void;
    reject: (error: Error) => void;
  }[] = [];
  /** Every event received, in order. */
  readonly events: DapEvent[] = [];
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      this.closed = true;
      for (const resolve of this.pending.values())
        resolve({ seq: 0, type: 'response', request_seq: 0, command: '', success: false, message: 'closed' });
      this.pending.clear();
      for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('the DAP connection closed'));
    });
  }

  static open(host: string, port: number): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => {
        socket.off('error', reject);
        socket.on('error', () => {
          // reported as 'close'
        });
        resolve(new DapClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends a request; resolves with its response (failed responses too). */
  request(command: string, args?: unknown): Promise<DapResponse> {
    if (this.closed) return Promise.reject(new Error(`DAP connection closed before "${command}"`));
    const seq = this.seq++;
    const body = Buffer.from(JSON.stringify({ seq, type: 'request', command, arguments: args }), 'utf8');
    this.socket.write(`Content-Length: ${body.length}${HEADER_END}`);
    this.socket.write(body);
    return new Promise((resolve) => this.pending.set(seq, resolve));
  }

  /** Like request, but rejects when the adapter refuses it. */
  async ask(command: string, args?: unknown): Promise<Record<string, unknown>> {
    const response = await this.request(command, args);
    if (!response.success) throw new Error(`DAP ${command} failed: ${response.message ?? 'no message'}`);
    return response.body ?? {};
  }

  /**
   * The first event named `name` (matching `match`) from the `from`-th event received on; rejects
   * when the connection closes first.
   */
  event(name: string, match: (e: DapEvent) => boolean = () => true, from = 0): Promise<DapEvent> {
    const test = (e: DapEvent): boolean => e.event === name && match(e);
    const seen = this.events.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    if (this.closed) return Promise.reject(new Error(`the DAP connection closed before "${name}"`));
    return new Promise((resolve, reject) => this.waiters.push({ match: test, resolve, reject }));
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length:\s*(\d+)/i.exec(header)?.[1] ?? NaN);
      const start = headerEnd + HEADER_END.length;
      if (!Number.isFinite(length)) throw new Error(`bad DAP header: ${header}`);
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.subarray(start, start + length).toString('utf8')) as
        DapResponse | DapEvent;
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: DapResponse | DapEvent | DapMessage): void {
    if (message.type === 'response') {
      const response = message as DapResponse;
      const resolve = this.pending.get(response.request_seq);
      this.pending.delete(response.request_seq);
      resolve?.(response);
    } else if (message.type === 'event') {
      const event = message as DapEvent;
      this.events.push(event);
      for (let i = 0; i < this.waiters.length; i++) {
        if (this.waiters[i].match(event)) {
          this.waiters[i].resolve(event);
          this.waiters.splice(i--, 1);
        }
      }
    }
  }
}
