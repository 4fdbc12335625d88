import type { LanguageModel } from 'ai';
import type { ModelSettings } from './agent-settings.js';
import { GENERIC_KEY_VARIABLE, withKeyAliases } from './provider-catalog.js';

/**
 * The AI SDK model for the settings, with the key read from the environment only now, so it
 * never sits in a settings object that might be printed. Provider packages load on first use.
 */
export async function createLanguageModel(
  settings: ModelSettings,
  env: Record<string, string | undefined>,
): Promise<LanguageModel> {
  const apiKey = readKey(settings, withKeyAliases(env));
  const baseURL = settings.baseUrl;
  switch (settings.provider) {
    case 'openai': {
      const { createOpenAI } = await import('@ai-sdk/openai');
      // Chat completions rather than the Responses API: every OpenAI-style proxy and gateway speaks it.
      return createOpenAI({ ...(apiKey ? { apiKey } : {}), ...(baseURL ? { baseURL } : {}) }).chat(
        settings.model,
      );
    }
    case 'anthropic': {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({ ...(apiKey ? { apiKey } : {}), ...(baseURL ? { baseURL } : {}) })(
        settings.model,
      );
    }
    case 'google': {
      const { createGoogleGenerativeAI } = await import('@ai-sdk/google');
      return createGoogleGenerativeAI({ ...(apiKey ? { apiKey } : {}), ...(baseURL ? { baseURL } : {}) })(
        settings.model,
      );
    }
    case 'openai-compatible': {
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
      return createOpenAICompatible({
        name: settings.label,
        baseURL: baseURL ?? '',
        ...(apiKey ? { apiKey } : {}),
        includeUsage: true,
      }).chatModel(settings.model);
    }
  }
}

function readKey(settings: ModelSettings, env: Record<string, string | undefined>): string | undefined {
  for (const name of [settings.keyVariable, GENERIC_KEY_VARIABLE]) {
    const value = name === undefined ? undefined : env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** `openai/gpt-4o-mini`, `ollama/llama3.1`: how messages and metrics name a model. */
export function describeModel(settings: ModelSettings): string {
  return `${settings.label}/${settings.model}`;
}
