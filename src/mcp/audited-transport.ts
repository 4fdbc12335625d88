import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import type { AuditEntry, AuditLog } from './audit-log.js';

interface PendingCall {
  kind: AuditEntry['kind'];
  name: string;
  started: number;
  argumentKeys: string[];
  argumentBytes: number;
}

/**
 * Wraps a transport and writes one audit line per `tools/call` and `resources/read`, measured at
 * the protocol boundary so that calls the SDK rejects (unknown tool, invalid arguments) are
 * logged too. The line is written before the response leaves, so a client that reads the log
 * after a call always finds it.
 */
export class AuditedTransport implements Transport {
  readonly #inner: Transport;
  readonly #audit: AuditLog;
  readonly #pending = new Map<string | number, PendingCall>();
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void) | undefined;

  constructor(inner: Transport, audit: AuditLog) {
    this.#inner = inner;
    this.#audit = audit;
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message, extra) => {
      this.#observeIncoming(message);
      this.onmessage?.(message, extra);
    };
  }

  get sessionId(): string | undefined {
    return this.#inner.sessionId;
  }

  setProtocolVersion = (version: string): void => {
    this.#inner.setProtocolVersion?.(version);
  };

  start(): Promise<void> {
    return this.#inner.start();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const entry = this.#completeCall(message);
    if (entry) {
      try {
        await this.#audit.record(entry);
      } catch (error) {
        // The answer still goes out; the failure reaches the server's error handler (stderr).
        this.onerror?.(new Error(`cannot write the MCP audit log ${this.#audit.file}`, { cause: error }));
      }
    }
    return this.#inner.send(message, options);
  }

  #observeIncoming(message: JSONRPCMessage): void {
    if (!('method' in message) || !('id' in message)) return;
    const params = (message.params ?? {}) as { name?: unknown; arguments?: unknown; uri?: unknown };
    if (message.method === 'tools/call') {
      const args = params.arguments;
      this.#pending.set(message.id, {
        kind: 'tool',
        name: typeof params.name === 'string' ? params.name : '<missing>',
        started: performance.now(),
        argumentKeys:
          typeof args === 'object' && args !== null && !Array.isArray(args) ? Object.keys(args).sort() : [],
        argumentBytes: byteLength(args ?? {}),
      });
    } else if (message.method === 'resources/read') {
      this.#pending.set(message.id, {
        kind: 'resource',
        name: resourceFamily(params.uri),
        started: performance.now(),
        argumentKeys: ['uri'],
        argumentBytes: byteLength(params.uri ?? ''),
      });
    }
  }

  #completeCall(message: JSONRPCMessage): AuditEntry | undefined {
    if (!('id' in message) || 'method' in message || message.id === undefined) return undefined;
    const call = this.#pending.get(message.id);
    if (!call) return undefined;
    this.#pending.delete(message.id);
    const entry: AuditEntry = {
      ts: new Date().toISOString(),
      kind: call.kind,
      name: call.name,
      duration_ms: Math.round(performance.now() - call.started),
      argument_keys: call.argumentKeys,
      argument_bytes: call.argumentBytes,
      result_bytes: 'result' in message ? byteLength(message.result) : byteLength(message.error),
      ok: true,
    };
    const errorCode = outcomeError(message);
    if (errorCode) {
      entry.ok = false;
      entry.error_code = errorCode;
    }
    if (this.#inner.sessionId) entry.session_id = this.#inner.sessionId;
    return entry;
  }
}

/** The Osiris error code of a failed call: from our error results, else a protocol-level failure. */
function outcomeError(message: JSONRPCMessage): string | undefined {
  if ('error' in message) {
    const data = message.error.data as { code?: unknown } | undefined;
    return typeof data?.code === 'string' ? data.code : 'E_USAGE';
  }
  if (!('result' in message)) return undefined;
  const result = message.result as { isError?: unknown; structuredContent?: { error?: { code?: unknown } } };
  if (result.isError !== true) return undefined;
  const code = result.structuredContent?.error?.code;
  // Errors the SDK produced itself (unknown tool, arguments that fail the schema) carry no code.
  return typeof code === 'string' ? code : 'E_USAGE';
}

/** `osiris://runs/run_123` → `osiris://runs`: the kind of resource, not which one. */
function resourceFamily(uri: unknown): string {
  if (typeof uri !== 'string') return '<missing>';
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)/i.exec(uri);
  return match?.[1] ?? '<other>';
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
