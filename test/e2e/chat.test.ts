import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeLlmServer, loadScenario, startFakeLlmServer } from '../../src/agent/testing/index.js';
import { demoProject, SCENARIOS } from '../agent/support/chat-harness.js';
import { type CliResult, OSIRIS_BIN, runCli } from '../support/cli.js';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function fakeServer(scenario: string): Promise<FakeLlmServer> {
  server = await startFakeLlmServer({ scenario: await loadScenario(join(SCENARIOS, scenario)) });
  return server;
}

/** The model flags that point the real OpenAI client at the fake server. */
function modelFlags(fake: FakeLlmServer): string[] {
  return ['--provider', 'openai', '--model', 'gpt-4o-mini', '--base-url', fake.openaiBaseUrl];
}

const MODEL_ENV = {
  OPENAI_API_KEY: 'sk-test-e2e',
  ANTHROPIC_API_KEY: undefined,
  GOOGLE_GENERATIVE_AI_API_KEY: undefined,
  OSIRIS_HOME: undefined,
};

/** The CLI with text on stdin (the REPL reading a pipe). */
function runCliWithInput(
  args: string[],
  input: string,
  options: { cwd: string; env?: Record<string, string | undefined> },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OSIRIS_BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('osiris chat (built CLI, real provider client, fake model over HTTP)', () => {
  it('answers "find director Ava DuVernay" in one shot, with status lines on stderr', async () => {
    const projectDir = await demoProject();
    const fake = await fakeServer('agent-find-ava-duvernay.yaml');

    const result = await runCli(['chat', ...modelFlags(fake), 'Find Director Ava DuVernay'], {
      cwd: projectDir,
      env: MODEL_ENV,
    });

    expect(result.stderr).toContain('listing connections… 1 connection (@duckdb.movies)');
    expect(result.stderr).toContain('discovering @duckdb.movies… 5 tables');
    expect(result.stderr).toContain('searching @duckdb.movies for "Ava DuVernay"… 1 match in directors.name');
    expect(result.stdout).toContain('Selma (2014)');
    expect(result.stdout).toContain('born 1972, American, 8 awards');
    expect(result.code).toBe(0);
    expect(fake.remaining()).toBe(0);
    expect(JSON.stringify(fake.requests)).not.toContain('sk-test-e2e');
  });

  it('continues the last session across processes: propose, ask, approve → the pipeline runs', async () => {
    const projectDir = await demoProject();
    const fake = await fakeServer('agent-resumed-session.yaml');
    const chat = (message: string, extra: string[] = []) =>
      runCli(['chat', ...modelFlags(fake), ...extra, message], { cwd: projectDir, env: MODEL_ENV });

    const proposed = await chat('Count the movies per genres into a CSV');
    expect(proposed.code).toBe(0);
    expect(proposed.stdout).toContain('Proposed pipeline genre-counts');
    expect(proposed.stdout).toContain('writes output/genre_counts.csv');
    expect(proposed.stderr).toContain('next: osiris chat "approve"');
    expect(existsSync(join(projectDir, 'pipelines/genre-counts.yaml'))).toBe(false);

    const answered = await chat('where does it write?');
    expect(answered.stdout).toContain('It writes output/genre_counts.csv');

    const ran = await chat('approve', ['--json']);
    expect(ran.code).toBe(0);
    const turn = JSON.parse(ran.stdout);
    expect(turn).toMatchObject({
      outcome: 'ran',
      state: 'COMPLETE',
      run: { status: 'success', file: 'pipelines/genre-counts.yaml' },
    });
    expect(existsSync(turn.run.reportPath)).toBe(true);
    const csv = await readFile(join(projectDir, 'output/genre_counts.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('genre,movies');
    expect(fake.remaining()).toBe(0);

    const sessions = await runCli(['chat', 'sessions', '--json'], { cwd: projectDir });
    expect(JSON.parse(sessions.stdout)).toEqual({
      ok: true,
      sessions: [
        expect.objectContaining({
          id: turn.sessionId,
          state: 'COMPLETE',
          title: 'Count the movies per genres into a CSV',
        }),
      ],
    });
  });

  it('a question is not consent: `osiris chat "looks good?"` and `"approve?"` answer and remind, never run', async () => {
    const projectDir = await demoProject();
    const fake = await fakeServer('agent-question-is-not-consent.yaml');
    const chat = (message: string) =>
      runCli(['chat', ...modelFlags(fake), message], { cwd: projectDir, env: MODEL_ENV });

    expect((await chat('Count the movies per genres into a CSV')).stdout).toContain(
      'Proposed pipeline genre-counts',
    );
    for (const [message, answer] of [
      ['looks good?', 'reads only the movies table'],
      ['approve?', 'overwrites output/genre_counts.csv'],
      ['I think so', 'nothing runs until you approve'],
    ] as const) {
      const asked = await chat(message);
      expect(asked.code, message).toBe(0);
      expect(asked.stdout, message).toContain(answer);
      expect(asked.stderr, message).toContain('Nothing ran: a question is not an approval.');
      expect(asked.stderr, message).toContain('say "approve" or "run it"');
      expect(asked.stderr, message).toContain('AWAIT_APPROVAL · next: osiris chat "approve"');
      expect(existsSync(join(projectDir, 'pipelines/genre-counts.yaml')), message).toBe(false);
      expect(existsSync(join(projectDir, 'output/genre_counts.csv')), message).toBe(false);
    }

    const ran = await chat('approve');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('genre-counts ran successfully');
    expect(existsSync(join(projectDir, 'output/genre_counts.csv'))).toBe(true);
    expect(fake.remaining()).toBe(0);
  });

  it('runs the REPL over piped input: SQL: proposes without any model, "y" approves', async () => {
    const projectDir = await demoProject();
    const result = await runCliWithInput(
      ['chat'],
      'SQL: SELECT id, title FROM movies ORDER BY id LIMIT 5\ny\n',
      {
        cwd: projectDir,
        env: { ...MODEL_ENV, OPENAI_API_KEY: undefined },
      },
    );
    expect(result.stderr).toContain('No LLM provider is configured.');
    expect(result.stdout).toContain('Proposed pipeline sql-movies');
    expect(result.stdout).toContain('sql-movies ran successfully');
    expect(result.code).toBe(0);
    const csv = (await readFile(join(projectDir, 'output/sql-movies.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(6);
  });

  it('without a provider, a message exits 2 and says how to configure one (Ollama included)', async () => {
    const projectDir = await demoProject();
    const result = await runCli(['chat', 'find director Ava DuVernay'], {
      cwd: projectDir,
      env: { ...MODEL_ENV, OPENAI_API_KEY: undefined },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No LLM provider is configured');
    expect(result.stderr).toContain('osiris chat --provider ollama --model llama3.1');
    expect(result.stderr).toContain('OPENAI_API_KEY');
  });

  it('prompts build-context prints the component context without secrets', async () => {
    const projectDir = await demoProject();
    const text = await runCli(['prompts', 'build-context'], { cwd: projectDir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('### duckdb.extractor');
    expect(text.stdout).toContain('@duckdb.movies');
    const json = await runCli(['prompts', 'build-context', '--json'], { cwd: projectDir });
    const context = JSON.parse(json.stdout);
    expect(context.components.map((component: { name: string }) => component.name)).toContain(
      'mysql.extractor',
    );
    expect(context.connections).toEqual([
      { ref: '@duckdb.movies', family: 'duckdb', default: true, path: 'data/movies.duckdb' },
    ]);
    expect(context.custom_prompts).toEqual([]);

    // Export the built-in instructions, customise them, and pro mode uses them.
    const exported = await runCli(['prompts', 'export'], { cwd: projectDir });
    expect(exported.code).toBe(0);
    const file = join(projectDir, '.osiris/prompts/system.md');
    expect(await readFile(file, 'utf8')).toContain('You are Osiris');
    await writeFile(file, 'You are the ACME data assistant.\n');
    const again = await runCli(['prompts', 'export'], { cwd: projectDir });
    expect(again.code).toBe(2);
    const pro = JSON.parse(
      (await runCli(['prompts', 'build-context', '--json', '--pro-mode'], { cwd: projectDir })).stdout,
    );
    expect(pro.custom_prompts).toEqual(['.osiris/prompts/system.md']);
    expect(pro.system_prompt.startsWith('You are the ACME data assistant.')).toBe(true);
  });
});
