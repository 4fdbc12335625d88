import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { parseScenario } from './parse-scenario.js';
import { anthropicMessagesProtocol } from './protocols/anthropic-messages.js';
import { openAiChatProtocol } from './protocols/openai-chat.js';
import { writeOpenAiError } from './protocols/openai-error.js';
import { openAiResponsesProtocol } from './protocols/openai-responses.js';
import { ProtocolRequestError, type ProviderProtocol } from './protocols/provider-protocol.js';
import { readRequestBody } from './read-request-body.js';
import { headersWithoutCredentials, type RecordedRequest } from './recorded-request.js';
import type { Scenario, ScenarioStep } from './scenario.js';
import { createScenarioPlayer, estimateTokens, type ScenarioPlayer } from './scenario-player.js';

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface FakeLlmServerOptions {
  scenario: Scenario | ScenarioStep[];
  /** 0 (the default) picks a free port. */
  port?: number;
  /**
   * true (the default): a request that does not match the next step's `expect` gets HTTP 400 and
   * does not consume the step. false: the mismatch is only recorded and the step answers anyway.
   */
  strict?: boolean;
  /** Larger request bodies get HTTP 413. Default 10 MiB. */
  maxBodyBytes?: number;
}

export interface FakeLlmServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Base URL for `createOpenAI` / `createOpenAICompatible`: `url + '/v1'`. */
  openaiBaseUrl: string;
  /** Base URL for `createAnthropic`: `url + '/v1'`. */
  anthropicBaseUrl: string;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Scenario steps not consumed yet. */
  remaining(): number;
  /** Stop listening and cut open connections. Safe to call twice. */
  close(): Promise<void>;
}

// The `/v1` prefix is optional so that base URLs given with or without it both work.
const ROUTES = new Map<string, ProviderProtocol>([
  ['/chat/completions', openAiChatProtocol],
  ['/responses', openAiResponsesProtocol],
  ['/messages', anthropicMessagesProtocol],
]);

/**
 * A loopback HTTP server that plays a scenario as an LLM provider would: OpenAI chat completions,
 * the OpenAI Responses API and Anthropic Messages, streaming or not, so the real AI SDK provider
 * clients can be tested end to end without any network.
 */
export async function startFakeLlmServer(options: FakeLlmServerOptions): Promise<FakeLlmServer> {
  const scenario = parseScenario(options.scenario);
  const player = createScenarioPlayer(scenario, { strict: options.strict ?? true });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const requests: RecordedRequest[] = [];
  let responseNumber = 0;

  const server = createServer((request, response) => {
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: headersWithoutCredentials(request.headers),
      body: undefined,
      protocol: undefined,
      call: undefined,
      stepIndex: undefined,
      status: undefined,
      mismatch: undefined,
    };
    requests.push(recorded);
    response.on('finish', () => {
      recorded.status = response.statusCode;
    });
    const context = { player, maxBodyBytes, nextResponseNumber: () => ++responseNumber };
    handleRequest(request, response, recorded, context).catch((error: unknown) => {
      // Always answer: a hung response would turn a fake-server bug into a test timeout.
      if (!response.headersSent) {
        const message = error instanceof Error ? error.message : String(error);
        writeOpenAiError(response, 500, `Fake LLM server internal error: ${message}`);
      } else {
        response.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      reject(
        new OsirisError(ErrorCodes.USAGE, `Fake LLM server cannot listen on 127.0.0.1:${options.port ?? 0}`, {
          hint: 'Use port 0 to pick a free port.',
          cause: error,
        }),
      );
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: `${url}/v1`,
    requests,
    remaining: () => player.remaining(),
    close,
  };
}

interface HandlerContext {
  player: ScenarioPlayer;
  maxBodyBytes: number;
  nextResponseNumber: () => number;
}

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  recorded: RecordedRequest,
  { player, maxBodyBytes, nextResponseNumber }: HandlerContext,
): Promise<void> {
  const pathname = new URL(recorded.path, 'http://127.0.0.1').pathname.replace(/^\/v1(?=\/)/, '');
  const protocol = request.method === 'POST' ? ROUTES.get(pathname) : undefined;
  if (protocol === undefined) {
    request.resume();
    const served = [...ROUTES.keys()].map((route) => `POST /v1${route}`);
    writeOpenAiError(
      response,
      404,
      `Fake LLM server: no route for ${recorded.method} ${recorded.path}; it serves ${served.join(', ')}`,
    );
    return;
  }
  recorded.protocol = protocol.name;

  const body = await readRequestBody(request, maxBodyBytes);
  if (body.kind === 'too-large') {
    response.setHeader('connection', 'close');
    protocol.writeError(response, 413, `Fake LLM server: request body is larger than ${body.limit} bytes`);
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch (error) {
    recorded.body = body.text;
    protocol.writeError(
      response,
      400,
      `Fake LLM server: request body is not JSON (${(error as Error).message})`,
    );
    return;
  }
  recorded.body = parsed;

  let call: RecordedRequest['call'];
  try {
    call = protocol.parseRequest(parsed, player.toolNamesById);
  } catch (error) {
    if (!(error instanceof ProtocolRequestError)) throw error;
    protocol.writeError(response, 400, `Fake LLM server: ${error.message}`);
    return;
  }
  recorded.call = call;

  const outcome = player.play(call, {
    toolCallIdPrefix: protocol.toolCallIdPrefix,
    estimatedInputTokens: estimateTokens(body.byteLength),
  });
  recorded.stepIndex = outcome.stepIndex;
  switch (outcome.kind) {
    case 'mismatch':
      recorded.mismatch = outcome.message;
      protocol.writeError(response, 400, outcome.message);
      return;
    case 'error':
      recorded.mismatch = outcome.mismatch;
      protocol.writeError(response, outcome.status, outcome.message, outcome.type);
      return;
    case 'reply':
      recorded.mismatch = outcome.mismatch;
      protocol.writeReply(response, outcome.reply, { call, responseNumber: nextResponseNumber() });
      return;
  }
}
