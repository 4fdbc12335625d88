import { describe, expect, it } from 'vitest';
import type { ModelSettings } from './agent-settings.js';
import { createLanguageModel, describeModel } from './create-language-model.js';

const env = {
  OPENAI_API_KEY: 'sk-o',
  ANTHROPIC_API_KEY: 'sk-a',
  GOOGLE_GENERATIVE_AI_API_KEY: 'g',
  OSIRIS_LLM_API_KEY: 'k',
};

describe('createLanguageModel', () => {
  it.each<[ModelSettings, string]>([
    [
      { provider: 'openai', label: 'openai', model: 'gpt-4o-mini', keyVariable: 'OPENAI_API_KEY' },
      'openai.chat',
    ],
    [
      {
        provider: 'anthropic',
        label: 'anthropic',
        model: 'claude-sonnet-4-5',
        keyVariable: 'ANTHROPIC_API_KEY',
      },
      'anthropic.messages',
    ],
    [
      {
        provider: 'google',
        label: 'google',
        model: 'gemini-2.5-flash',
        keyVariable: 'GOOGLE_GENERATIVE_AI_API_KEY',
      },
      'google.generative-ai',
    ],
    [
      {
        provider: 'openai-compatible',
        label: 'ollama',
        model: 'llama3.1',
        baseUrl: 'http://localhost:11434/v1',
      },
      'ollama.chat',
    ],
  ])('builds the %s model through its AI SDK provider', async (settings, provider) => {
    const model = (await createLanguageModel(settings, env)) as { provider: string; modelId: string };
    expect(model.provider).toBe(provider);
    expect(model.modelId).toBe(settings.model);
    expect(describeModel(settings)).toBe(`${settings.label}/${settings.model}`);
  });
});
