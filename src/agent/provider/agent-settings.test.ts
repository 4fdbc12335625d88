import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAgentSettings } from './agent-settings.js';

function project(osirisYaml?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'osiris-agent-settings-'));
  if (osirisYaml !== undefined) writeFileSync(path.join(dir, 'osiris.yaml'), osirisYaml);
  return dir;
}

describe('resolveAgentSettings', () => {
  it('is undefined when nothing is configured and no key is set', () => {
    expect(resolveAgentSettings({ projectDir: project(), env: {} })).toBeUndefined();
  });

  it('reads provider, model, base URL and fallback from osiris.yaml', () => {
    const dir = project(`agent:
  provider: ollama
  model: llama3.1
  fallback: { provider: anthropic, model: claude-sonnet-4-5 }
  max_steps: 8
`);
    const settings = resolveAgentSettings({ projectDir: dir, env: { ANTHROPIC_API_KEY: 'sk-ant' } });
    expect(settings).toMatchObject({
      primary: {
        provider: 'openai-compatible',
        label: 'ollama',
        model: 'llama3.1',
        baseUrl: 'http://localhost:11434/v1',
      },
      fallback: { provider: 'anthropic', model: 'claude-sonnet-4-5', keyVariable: 'ANTHROPIC_API_KEY' },
      maxSteps: 8,
      source: 'osiris.yaml',
      warnings: [],
    });
  });

  it('lets flags win over the environment and osiris.yaml, field by field', () => {
    const dir = project('agent: { provider: openai, model: gpt-4o }\n');
    const env = { OPENAI_API_KEY: 'sk', OSIRIS_LLM_MODEL: 'gpt-4.1-mini' };
    expect(resolveAgentSettings({ projectDir: dir, env })?.primary.model).toBe('gpt-4.1-mini');
    const flagged = resolveAgentSettings({ projectDir: dir, env, flags: { model: 'o4-mini' } });
    expect(flagged?.primary).toMatchObject({ provider: 'openai', model: 'o4-mini' });
    expect(flagged?.source).toBe('osiris.yaml');
  });

  it('picks the provider whose key alone is set, with its default model', () => {
    const settings = resolveAgentSettings({ projectDir: project(), env: { ANTHROPIC_API_KEY: 'sk-ant' } });
    expect(settings).toMatchObject({
      primary: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      source: 'detected key',
    });
  });

  it('says which variable is missing for a configured provider, and never holds the key', () => {
    expect(() =>
      resolveAgentSettings({ projectDir: project(), env: {}, flags: { provider: 'openai' } }),
    ).toThrow(/needs an API key in OPENAI_API_KEY/);
    const settings = resolveAgentSettings({
      projectDir: project(),
      env: { OPENAI_API_KEY: 'sk-secret-value' },
      flags: { provider: 'openai' },
    });
    expect(JSON.stringify(settings)).not.toContain('sk-secret-value');
  });

  it('needs a base URL and a model for a generic OpenAI-compatible endpoint', () => {
    expect(() =>
      resolveAgentSettings({
        projectDir: project(),
        env: {},
        flags: { provider: 'openai-compatible', model: 'qwen' },
      }),
    ).toThrow(/needs the endpoint's base URL/);
    expect(() =>
      resolveAgentSettings({ projectDir: project(), env: {}, flags: { provider: 'vllm' } }),
    ).toThrow(/needs a model name/);
  });

  it('rejects an unknown provider and a malformed agent section with the file named', () => {
    expect(() =>
      resolveAgentSettings({ projectDir: project(), env: {}, flags: { provider: 'skynet' } }),
    ).toThrow(/Unknown LLM provider "skynet"/);
    const dir = project('agent: { provider: openai, max_steps: zero }\n');
    expect(() => resolveAgentSettings({ projectDir: dir, env: { OPENAI_API_KEY: 'sk' } })).toThrow(
      /agent\.max_steps/,
    );
  });

  it('keeps the primary model when the fallback is misconfigured, with a warning', () => {
    const dir = project('agent: { provider: openai, fallback: { provider: google } }\n');
    const settings = resolveAgentSettings({ projectDir: dir, env: { OPENAI_API_KEY: 'sk' } });
    expect(settings?.fallback).toBeUndefined();
    expect(settings?.warnings[0]).toMatch(/fallback model ignored: .*GOOGLE_GENERATIVE_AI_API_KEY/);
  });
});
