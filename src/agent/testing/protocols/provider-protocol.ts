import type { ServerResponse } from 'node:http';
import type { ModelCall, ProtocolName } from '../model-call.js';
import type { ScriptedReply } from '../scenario-player.js';

/** A request body that does not have the shape the protocol requires; answered with HTTP 400. */
export class ProtocolRequestError extends Error {
  override readonly name = 'ProtocolRequestError';
}

export interface ReplyContext {
  call: ModelCall;
  /** Counts responses of this server, for ids such as `chatcmpl-fake-3`. */
  responseNumber: number;
}

/** One provider HTTP API as the fake server speaks it: how to read a request, how to answer. */
export interface ProviderProtocol {
  readonly name: ProtocolName;
  readonly toolCallIdPrefix: string;
  /** `knownToolNames` resolves tool results that carry only the id of a call this server issued. */
  parseRequest(body: unknown, knownToolNames: ReadonlyMap<string, string>): ModelCall;
  writeReply(response: ServerResponse, reply: ScriptedReply, context: ReplyContext): void;
  /** An HTTP error in the provider's own error body format. */
  writeError(response: ServerResponse, status: number, message: string, type?: string): void;
}
