import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatEvent } from '../../../src/agent/chat-events.js';
import { type OpenChat, openChat } from '../../../src/agent/open-chat.js';
import type { AgentSettings, ModelSettings } from '../../../src/agent/provider/agent-settings.js';
import { type FakeLlmServer, loadScenario, startFakeLlmServer } from '../../../src/agent/testing/index.js';
import { createDemoProject } from '../../../src/demo/create-demo.js';

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

export const SCENARIOS = join(import.meta.dirname, '../../scenarios');

export type ProtocolChoice = 'openai' | 'anthropic' | 'openai-compatible';

/** Model settings that point a real provider client at the fake server. */
export function fakeModelSettings(
  server: FakeLlmServer,
  protocol: ProtocolChoice,
  model?: string,
): ModelSettings {
  switch (protocol) {
    case 'openai':
      return {
        provider: 'openai',
        label: 'openai',
        model: model ?? 'gpt-4o-mini',
        baseUrl: server.openaiBaseUrl,
        keyVariable: 'OPENAI_API_KEY',
      };
    case 'anthropic':
      return {
        provider: 'anthropic',
        label: 'anthropic',
        model: model ?? 'claude-sonnet-4-5',
        baseUrl: server.anthropicBaseUrl,
        keyVariable: 'ANTHROPIC_API_KEY',
      };
    case 'openai-compatible':
      return {
        provider: 'openai-compatible',
        label: 'ollama',
        model: model ?? 'llama3.1',
        baseUrl: server.openaiBaseUrl,
      };
  }
}

export interface ChatHarness {
  chat: OpenChat;
  server: FakeLlmServer;
  events: ChatEvent[];
  /** Status lines as the terminal shows them: "discovering @duckdb.movies… 5 tables". */
  statusLines(): string[];
  send(text: string): ReturnType<OpenChat['agent']['send']>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  scenario: string;
  projectDir: string;
  protocol?: ProtocolChoice;
  env?: Record<string, string | undefined>;
  settings?: Partial<AgentSettings>;
  autoApprove?: boolean;
  newSession?: boolean;
  sessionId?: string;
  sqlConnection?: string;
  /** An already running server (a second process of the same conversation). */
  server?: FakeLlmServer;
  /** Sees every event as it happens (the harness records them too). */
  onEvent?: (event: ChatEvent) => void;
}

/** A chat on a project whose model is the fake server playing `scenario` (a file in test/scenarios). */
export async function startChatHarness(options: HarnessOptions): Promise<ChatHarness> {
  const server =
    options.server ??
    (await startFakeLlmServer({ scenario: await loadScenario(join(SCENARIOS, options.scenario)) }));
  const events: ChatEvent[] = [];
  const settings: AgentSettings = {
    primary: fakeModelSettings(server, options.protocol ?? 'openai'),
    maxSteps: 12,
    maxRetries: 0,
    source: 'flags',
    warnings: [],
    ...options.settings,
  };
  const chat = await openChat({
    cwd: options.projectDir,
    env: {
      PATH: process.env.PATH,
      OPENAI_API_KEY: 'sk-test-openai-key',
      ANTHROPIC_API_KEY: 'sk-ant-test-key',
      ...options.env,
    },
    settings,
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
    ...(options.autoApprove ? { autoApprove: true } : {}),
    ...(options.newSession ? { newSession: true } : {}),
    ...(options.sessionId ? { sessionId: options.sessionId } : {}),
    ...(options.sqlConnection ? { sqlConnection: options.sqlConnection } : {}),
  });
  return {
    chat,
    server,
    events,
    statusLines: () =>
      events.flatMap((event) => (event.type === 'tool-end' ? [`${event.label}… ${event.summary}`] : [])),
    send: (text) => chat.agent.send(text),
    close: async () => {
      chat.close();
      if (!options.server) await server.close();
    },
  };
}

/** A fresh copy of the demo project (embedded DuckDB movies database as @duckdb.movies). */
export async function demoProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'osiris-chat-'));
  await createDemoProject(dir);
  return dir;
}
