/** The provider families the agent speaks, and the names users may call them by. */
export type ProviderName = 'openai' | 'anthropic' | 'google' | 'openai-compatible';

export interface ProviderPreset {
  provider: ProviderName;
  /** Model used when none is configured; absent when there is no sensible default (local servers). */
  defaultModel?: string;
  defaultBaseUrl?: string;
  /** Environment variable holding the API key; absent when the endpoint needs none. */
  keyVariable?: string;
  /** Local servers work without a key. */
  keyRequired: boolean;
}

/** Generic key variable, used by OpenAI-compatible endpoints and as a last resort by every provider. */
export const GENERIC_KEY_VARIABLE = 'OSIRIS_LLM_API_KEY';

export const PROVIDER_PRESETS: Readonly<Record<string, ProviderPreset>> = {
  openai: {
    provider: 'openai',
    defaultModel: 'gpt-4o-mini',
    keyVariable: 'OPENAI_API_KEY',
    keyRequired: true,
  },
  anthropic: {
    provider: 'anthropic',
    defaultModel: 'claude-sonnet-4-5',
    keyVariable: 'ANTHROPIC_API_KEY',
    keyRequired: true,
  },
  google: {
    provider: 'google',
    defaultModel: 'gemini-2.5-flash',
    keyVariable: 'GOOGLE_GENERATIVE_AI_API_KEY',
    keyRequired: true,
  },
  gemini: {
    provider: 'google',
    defaultModel: 'gemini-2.5-flash',
    keyVariable: 'GOOGLE_GENERATIVE_AI_API_KEY',
    keyRequired: true,
  },
  'openai-compatible': {
    provider: 'openai-compatible',
    keyVariable: GENERIC_KEY_VARIABLE,
    keyRequired: false,
  },
  ollama: {
    provider: 'openai-compatible',
    defaultBaseUrl: 'http://localhost:11434/v1',
    keyVariable: GENERIC_KEY_VARIABLE,
    keyRequired: false,
  },
  lmstudio: {
    provider: 'openai-compatible',
    defaultBaseUrl: 'http://localhost:1234/v1',
    keyVariable: GENERIC_KEY_VARIABLE,
    keyRequired: false,
  },
  vllm: {
    provider: 'openai-compatible',
    defaultBaseUrl: 'http://localhost:8000/v1',
    keyVariable: GENERIC_KEY_VARIABLE,
    keyRequired: false,
  },
  openrouter: {
    provider: 'openai-compatible',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    keyVariable: 'OPENROUTER_API_KEY',
    keyRequired: true,
  },
};

export const PROVIDER_NAMES = Object.keys(PROVIDER_PRESETS);

/**
 * Other names users (and upstream Osiris) give a provider's key: read when the standard variable
 * is not set, so `GEMINI_API_KEY=… osiris chat` works like `GOOGLE_GENERATIVE_AI_API_KEY=…`.
 */
export const KEY_VARIABLE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  GOOGLE_GENERATIVE_AI_API_KEY: ['GEMINI_API_KEY'],
  ANTHROPIC_API_KEY: ['CLAUDE_API_KEY'],
};

/** The environment with each standard key variable filled from its alias when only the alias is set. */
export function withKeyAliases(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const missing = Object.entries(KEY_VARIABLE_ALIASES).filter(([standard]) => !env[standard]?.trim());
  if (missing.length === 0) return env;
  const out = { ...env };
  for (const [standard, aliases] of missing) {
    const alias = aliases.find((name) => env[name]?.trim());
    if (alias) out[standard] = env[alias];
  }
  return out;
}

/** Providers picked automatically when only their key is set, in this order. */
export const DETECTABLE_PROVIDERS = ['openai', 'anthropic', 'google'] as const;
