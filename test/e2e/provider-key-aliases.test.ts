import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeLlmServer, loadScenario, startFakeLlmServer } from '../../src/agent/testing/index.js';
import { demoProject, SCENARIOS } from '../agent/support/chat-harness.js';
import { runCli } from '../support/cli.js';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Only the alias is set: every standard key variable is removed from the child's environment. */
const NO_KEYS = {
  OPENAI_API_KEY: undefined,
  ANTHROPIC_API_KEY: undefined,
  GOOGLE_GENERATIVE_AI_API_KEY: undefined,
  OSIRIS_LLM_API_KEY: undefined,
  OSIRIS_LLM_PROVIDER: undefined,
  OSIRIS_HOME: undefined,
};

describe('provider key aliases (built CLI)', () => {
  it('CLAUDE_API_KEY is read as ANTHROPIC_API_KEY', async () => {
    const projectDir = await demoProject();
    server = await startFakeLlmServer({
      scenario: await loadScenario(join(SCENARIOS, 'agent-find-ava-duvernay.yaml')),
    });
    const result = await runCli(
      [
        'chat',
        '--provider',
        'anthropic',
        '--base-url',
        server.anthropicBaseUrl,
        'Find Director Ava DuVernay',
      ],
      { cwd: projectDir, env: { ...NO_KEYS, CLAUDE_API_KEY: 'sk-ant-alias-e2e' } },
    );
    expect(result.stderr).not.toContain('needs an API key');
    expect(result.stdout).toContain('Selma (2014)');
    expect(result.code).toBe(0);
    expect(server.requests[0]?.protocol).toBe('anthropic-messages');
    expect(result.stdout + result.stderr).not.toContain('sk-ant-alias-e2e');
  });

  it('GEMINI_API_KEY is read as GOOGLE_GENERATIVE_AI_API_KEY and the key check passes', async () => {
    const projectDir = await demoProject();
    server = await startFakeLlmServer({
      scenario: await loadScenario(join(SCENARIOS, 'agent-find-ava-duvernay.yaml')),
    });
    const result = await runCli(
      ['chat', '--provider', 'google', '--base-url', `${server.openaiBaseUrl}beta`, '--json', 'hello'],
      { cwd: projectDir, env: { ...NO_KEYS, GEMINI_API_KEY: 'gemini-alias-e2e' } },
    );
    // The fake server does not speak Gemini's protocol: what matters is that the request was made
    // (the key was found), not refused before it with "needs an API key in GOOGLE_…".
    expect(result.stdout + result.stderr).not.toContain('needs an API key');
    expect(server.requests.some((request) => /generatecontent/i.test(request.path))).toBe(true);
    expect(result.stdout + result.stderr).not.toContain('gemini-alias-e2e');
  });
});
