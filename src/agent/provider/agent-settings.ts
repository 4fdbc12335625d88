import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PROJECT_FILE_NAME } from '../../project/find-project-dir.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import {
  DETECTABLE_PROVIDERS,
  GENERIC_KEY_VARIABLE,
  PROVIDER_NAMES,
  PROVIDER_PRESETS,
  type ProviderName,
  withKeyAliases,
} from './provider-catalog.js';

/** One model to talk to. Holds the name of the key's variable, never the key. */
export interface ModelSettings {
  provider: ProviderName;
  /** The name the user chose (`ollama`, `openrouter`, …), for messages. */
  label: string;
  model: string;
  baseUrl?: string;
  /** Environment variable the key is read from when the model is created. */
  keyVariable?: string;
}

export interface AgentSettings {
  primary: ModelSettings;
  fallback?: ModelSettings;
  /** Model calls per user turn before the agent stops the loop. */
  maxSteps: number;
  /** HTTP retries per model call (the AI SDK's backoff). */
  maxRetries: number;
  /** Where the primary model came from, for the first line the REPL prints. */
  source: 'flags' | 'environment' | 'osiris.yaml' | 'detected key';
  /** Problems that do not stop the chat (e.g. a fallback whose key is missing). */
  warnings: string[];
}

export interface ProviderFlags {
  provider?: string;
  model?: string;
  baseUrl?: string;
}

const modelEntrySchema = z.strictObject({
  provider: z.string().min(1),
  model: z.string().min(1).optional(),
  base_url: z.string().url().optional(),
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
});

const agentSectionSchema = modelEntrySchema.partial({ provider: true }).extend({
  fallback: modelEntrySchema.optional(),
  max_steps: z.number().int().min(1).max(100).optional(),
  max_retries: z.number().int().min(0).max(10).optional(),
});

type AgentSection = z.infer<typeof agentSectionSchema>;

const DEFAULT_MAX_STEPS = 16;
const DEFAULT_MAX_RETRIES = 2;

/**
 * The models `osiris chat` talks to. Precedence: flags > OSIRIS_LLM_* variables > `agent:` in
 * osiris.yaml > a provider whose key alone is set. Undefined when nothing is configured (the
 * caller explains how to configure one); an error when what is configured is incomplete.
 */
export function resolveAgentSettings(options: {
  projectDir: string;
  env: Record<string, string | undefined>;
  flags?: ProviderFlags;
}): AgentSettings | undefined {
  const { flags = {} } = options;
  const env = withKeyAliases(options.env);
  const section = readAgentSection(options.projectDir);
  const maxSteps = section?.max_steps ?? DEFAULT_MAX_STEPS;
  const maxRetries = section?.max_retries ?? DEFAULT_MAX_RETRIES;
  const warnings: string[] = [];
  let fallback: ModelSettings | undefined;
  if (section?.fallback) {
    try {
      fallback = modelSettings(entryFromSection(section.fallback), env, 'agent.fallback');
    } catch (error) {
      // A broken fallback must not stop the primary model from working.
      warnings.push(`fallback model ignored: ${(error as Error).message}`);
    }
  }

  const layers: { source: AgentSettings['source']; entry: Partial<Entry> }[] = [
    { source: 'flags', entry: { provider: flags.provider, model: flags.model, baseUrl: flags.baseUrl } },
    {
      source: 'environment',
      entry: {
        provider: env.OSIRIS_LLM_PROVIDER,
        model: env.OSIRIS_LLM_MODEL,
        baseUrl: env.OSIRIS_LLM_BASE_URL,
      },
    },
    { source: 'osiris.yaml', entry: section ? entryFromSection(section) : {} },
  ];
  const provider = layers.find((layer) => nonEmpty(layer.entry.provider));
  if (provider) {
    // A model or base URL given in a stronger layer applies to the provider chosen in a weaker one.
    const pick = <K extends keyof Entry>(key: K) => layers.map((layer) => layer.entry[key]).find(nonEmpty);
    const entry: Entry = {
      provider: provider.entry.provider!,
      ...(pick('model') ? { model: pick('model') } : {}),
      ...(pick('baseUrl') ? { baseUrl: pick('baseUrl') } : {}),
      ...(provider.source === 'osiris.yaml' && section?.api_key_env ? { keyEnv: section.api_key_env } : {}),
    };
    return {
      primary: modelSettings(
        entry,
        env,
        provider.source === 'osiris.yaml' ? 'agent' : `--provider ${entry.provider}`,
      ),
      ...(fallback ? { fallback } : {}),
      maxSteps,
      maxRetries,
      source: provider.source,
      warnings,
    };
  }

  const detected = DETECTABLE_PROVIDERS.find((name) => nonEmpty(env[PROVIDER_PRESETS[name]!.keyVariable!]));
  if (!detected) return undefined;
  const model = [flags.model, env.OSIRIS_LLM_MODEL, section?.model].find(nonEmpty);
  return {
    primary: modelSettings({ provider: detected, ...(model ? { model } : {}) }, env, detected),
    ...(fallback ? { fallback } : {}),
    maxSteps,
    maxRetries,
    source: 'detected key',
    warnings,
  };
}

interface Entry {
  provider: string;
  model?: string;
  baseUrl?: string;
  keyEnv?: string;
}

function entryFromSection(section: Partial<z.infer<typeof modelEntrySchema>>): Partial<Entry> {
  return {
    ...(section.provider ? { provider: section.provider } : {}),
    ...(section.model ? { model: section.model } : {}),
    ...(section.base_url ? { baseUrl: section.base_url } : {}),
    ...(section.api_key_env ? { keyEnv: section.api_key_env } : {}),
  };
}

function modelSettings(
  entry: Partial<Entry>,
  env: Record<string, string | undefined>,
  where: string,
): ModelSettings {
  const label = (entry.provider ?? '').toLowerCase();
  const preset = PROVIDER_PRESETS[label];
  if (!preset) {
    throw new OsirisError(
      ErrorCodes.PROVIDER_NOT_CONFIGURED,
      `Unknown LLM provider "${entry.provider}" (${where}).`,
      {
        hint: `use one of: ${PROVIDER_NAMES.join(', ')}`,
        details: { provider: entry.provider },
      },
    );
  }
  const model = entry.model ?? preset.defaultModel;
  if (!model) {
    throw new OsirisError(
      ErrorCodes.PROVIDER_NOT_CONFIGURED,
      `Provider "${label}" needs a model name (${where}).`,
      {
        hint: `e.g. --model llama3.1 for Ollama, or \`model:\` under \`agent:\` in ${PROJECT_FILE_NAME}`,
      },
    );
  }
  const baseUrl = entry.baseUrl ?? preset.defaultBaseUrl;
  if (preset.provider === 'openai-compatible' && !baseUrl) {
    throw new OsirisError(
      ErrorCodes.PROVIDER_NOT_CONFIGURED,
      `Provider "${label}" needs the endpoint's base URL (${where}).`,
      {
        hint: 'e.g. --base-url http://localhost:11434/v1 for Ollama, or `base_url:` under `agent:` in osiris.yaml',
      },
    );
  }
  const keyVariable = entry.keyEnv ?? preset.keyVariable;
  const hasKey = [keyVariable, GENERIC_KEY_VARIABLE].some(
    (name) => name !== undefined && nonEmpty(env[name]),
  );
  if (preset.keyRequired && !hasKey) {
    throw new OsirisError(
      ErrorCodes.PROVIDER_NOT_CONFIGURED,
      `Provider "${label}" needs an API key in ${keyVariable ?? GENERIC_KEY_VARIABLE}, which is not set.`,
      {
        hint: `export ${keyVariable ?? GENERIC_KEY_VARIABLE}=… (or put it in the project's .env, which Osiris reads)`,
        details: { provider: label, variable: keyVariable },
      },
    );
  }
  return {
    provider: preset.provider,
    label,
    model,
    ...(baseUrl ? { baseUrl } : {}),
    ...(keyVariable ? { keyVariable } : {}),
  };
}

function readAgentSection(projectDir: string): AgentSection | undefined {
  const file = path.join(projectDir, PROJECT_FILE_NAME);
  if (!existsSync(file)) return undefined;
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OsirisError(ErrorCodes.USAGE, `${file} is not valid YAML: ${(error as Error).message}`, {
      hint: 'fix the file, then run osiris chat again',
      cause: error,
    });
  }
  const agent =
    typeof document === 'object' && document !== null ? (document as { agent?: unknown }).agent : undefined;
  if (agent === undefined || agent === null) return undefined;
  const parsed = agentSectionSchema.safeParse(agent);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `agent.${issue.path.join('.')}` : 'agent';
    throw new OsirisError(ErrorCodes.USAGE, `${file}: ${where}: ${issue?.message ?? 'invalid'}`, {
      hint: 'expected agent: { provider, model, base_url?, api_key_env?, fallback?: { provider, model }, max_steps? }',
    });
  }
  return parsed.data;
}

function nonEmpty(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
