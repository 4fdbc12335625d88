import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';

/** No model key anywhere: `chat` must answer in the envelope too, without calling out. */
const env = {
  OSIRIS_HOME: undefined,
  OPENAI_API_KEY: undefined,
  ANTHROPIC_API_KEY: undefined,
  GOOGLE_GENERATIVE_AI_API_KEY: undefined,
  CLAUDE_API_KEY: undefined,
  GEMINI_API_KEY: undefined,
  OSIRIS_LLM_PROVIDER: undefined,
  OSIRIS_LLM_API_KEY: undefined,
};

let demo = '';
let runId = '';

beforeAll(async () => {
  demo = join(await mkdtemp(join(tmpdir(), 'osiris-envelope-')), 'demo');
  const created = await runCli(['demo', demo, '--json'], { cwd: tmpdir(), env, timeoutMs: 120_000 });
  expect(created.code).toBe(0);
  runId = JSON.parse(created.stdout).runs[0].run_id;
}, 180_000);

/** Every `--json` answer: one JSON document, `ok` a boolean, and an error object exactly when not ok. */
function expectEnvelope(stdout: string, ok: boolean): Record<string, unknown> {
  const value = JSON.parse(stdout) as Record<string, unknown>;
  expect(value.ok).toBe(ok);
  if (ok) expect(value.error).toBeUndefined();
  else
    expect(value.error).toMatchObject({
      code: expect.stringMatching(/^E_[A-Z_]+$/),
      message: expect.any(String),
    });
  return value;
}

describe('--json prints the same envelope on every command (built CLI)', () => {
  const succeeding: Array<[string, string[]]> = [
    ['components list', ['components', 'list', '--json']],
    ['components show', ['components', 'show', 'filesystem.csv_writer', '--json']],
    ['validate', ['validate', 'pipelines/movie-ratings.yaml', '--json']],
    ['compile', ['compile', 'pipelines/movie-ratings.yaml', '--json']],
    ['run', ['run', 'pipelines/movie-ratings.yaml', '--json', '--no-report']],
    ['run --dry-run', ['run', 'pipelines/movie-ratings.yaml', '--json', '--dry-run']],
    ['logs list', ['logs', 'list', '--json']],
    ['logs show', ['logs', 'show', '--json']],
    ['connections list', ['connections', 'list', '--json']],
    ['connections doctor', ['connections', 'doctor', '--json']],
    ['discover', ['discover', '@duckdb.movies', '--samples', '0', '--json']],
    ['chat sessions', ['chat', 'sessions', '--json']],
    ['prompts build-context', ['prompts', 'build-context', '--json']],
  ];
  for (const [name, args] of succeeding) {
    it(`${name}: { ok: true, … }`, async () => {
      const result = await runCli(args, { cwd: demo, env });
      expect(result.code, result.stderr).toBe(0);
      expectEnvelope(result.stdout, true);
    });
  }

  it('logs html and bundle: { ok: true, … }', async () => {
    const html = await runCli(['logs', 'html', runId, '--json'], { cwd: demo, env });
    expectEnvelope(html.stdout, true);
    const out = join(await mkdtemp(join(tmpdir(), 'osiris-bundle-')), 'run.zip');
    const bundle = await runCli(['logs', 'bundle', runId, '-o', out, '--json'], { cwd: demo, env });
    expectEnvelope(bundle.stdout, true);
  });

  it('failures carry { ok: false, error: { code, message } } as well', async () => {
    const project = await makeProject({
      'pipelines/bad.yaml':
        'oml_version: "0.1.0"\nname: bad\nsteps:\n  - { id: a, component: nope.extractor, mode: read, config: {} }\n',
      'pipelines/fails.yaml': `oml_version: "0.1.0"
name: fails
steps:
  - { id: a, component: filesystem.csv_extractor, mode: read, config: { path: data/missing.csv } }
`,
    });
    const validate = await runCli(['validate', 'pipelines/bad.yaml', '--json'], { cwd: project, env });
    expect(validate.code).toBe(2);
    expect(expectEnvelope(validate.stdout, false).diagnostics).toEqual(expect.any(Array));
    const compile = await runCli(['compile', 'pipelines/bad.yaml', '--json'], { cwd: project, env });
    expectEnvelope(compile.stdout, false);
    const run = await runCli(['run', 'pipelines/fails.yaml', '--json'], { cwd: project, env });
    expect(run.code).toBe(3);
    expect(expectEnvelope(run.stdout, false)).toMatchObject({ status: 'failed' });
    const missing = await runCli(['logs', 'show', 'run_nope', '--json'], { cwd: project, env });
    expect(missing.code).toBe(2);
    expectEnvelope(missing.stdout, false);
    const chat = await runCli(['chat', 'hello', '--json'], { cwd: project, env });
    expect(chat.code).toBe(2);
    expectEnvelope(chat.stdout, false);
  });
});
