import type { LanguageModel } from 'ai';
import { createProjectRegistry } from '../composition/builtins.js';
import { projectRedaction } from '../composition/project-redaction.js';
import { loadConnections } from '../connections/load-connections.js';
import { findProjectDir } from '../project/find-project-dir.js';
import type { Registry } from '../registry/registry.js';
import { isOsirisError, type OsirisError } from '../spec/errors.js';
import { ChatAgent } from './chat-agent.js';
import type { ChatEventListener } from './chat-events.js';
import {
  type AgentSettings,
  type ModelSettings,
  type ProviderFlags,
  resolveAgentSettings,
} from './provider/agent-settings.js';
import { SessionStore } from './session/session-store.js';
import type { SessionRecord } from './session/session-types.js';
import { type DiscoveryApi, loadDiscovery } from './tools/discovery-port.js';

export interface OpenChatOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Continue this session; the most recent one when absent. */
  sessionId?: string;
  /** Start a new session even when there is a recent one. */
  newSession?: boolean;
  flags?: ProviderFlags;
  /** Replaces settings resolution (tests, embedders); `null` means no provider. */
  settings?: AgentSettings | null;
  createModel?: (settings: ModelSettings) => Promise<LanguageModel>;
  discovery?: () => Promise<DiscoveryApi>;
  registry?: Registry;
  onEvent?: ChatEventListener;
  autoApprove?: boolean;
  sqlConnection?: string;
  proMode?: boolean;
  /** false: the run tools send no row samples to the model (`--no-samples`). */
  samples?: boolean;
}

export interface OpenChat {
  agent: ChatAgent;
  session: SessionRecord;
  /** The session existed before (continued rather than started). */
  resumed: boolean;
  projectDir: string;
  settings?: AgentSettings;
  settingsError?: OsirisError;
  store: SessionStore;
  close(): void;
}

/**
 * Everything a chat needs, from the project folder: settings, connections, the secret masker,
 * the session store and the session to continue (or a new one).
 */
export async function openChat(options: OpenChatOptions): Promise<OpenChat> {
  const projectDir = findProjectDir(options.cwd, options.env);
  const connections = loadConnections({ cwd: projectDir, env: options.env });
  const env = connections.env;
  const redactor = projectRedaction(projectDir, env).redactor;
  const redact = (text: string) => redactor.text(text);

  let settings: AgentSettings | undefined;
  let settingsError: OsirisError | undefined;
  if (options.settings !== undefined) {
    settings = options.settings ?? undefined;
  } else {
    try {
      settings = resolveAgentSettings({
        projectDir,
        env,
        ...(options.flags ? { flags: options.flags } : {}),
      });
    } catch (error) {
      // A half-configured provider must not block SQL mode and approvals; it is told on a model turn.
      if (!isOsirisError(error) || error.code !== 'E_PROVIDER_NOT_CONFIGURED') throw error;
      settingsError = error;
    }
  }

  const store = await SessionStore.open(projectDir, { redact });
  try {
    let session: SessionRecord | undefined;
    let resumed = false;
    if (options.sessionId) {
      session = store.require(options.sessionId);
      resumed = true;
    } else if (!options.newSession) {
      session = store.latest();
      resumed = session !== undefined;
    }
    session ??= store.create();

    const agent = new ChatAgent({
      projectDir,
      env,
      store,
      session,
      registry: options.registry ?? createProjectRegistry(projectDir),
      connections,
      discovery: options.discovery ?? loadDiscovery,
      redact,
      ...(settings ? { settings } : {}),
      ...(settingsError ? { settingsError } : {}),
      ...(options.createModel ? { createModel: options.createModel } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.autoApprove ? { autoApprove: true } : {}),
      ...(options.sqlConnection ? { sqlConnection: options.sqlConnection } : {}),
      ...(options.proMode ? { proMode: true } : {}),
      ...(options.samples === false ? { samples: false } : {}),
    });
    return {
      agent,
      session,
      resumed,
      projectDir,
      ...(settings ? { settings } : {}),
      ...(settingsError ? { settingsError } : {}),
      store,
      close: () => store.close(),
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
