import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_DOCUMENTS, SAMPLE_CONNECTIONS, unmark } from '../fixtures/oml/bad-documents.js';
import { ensureBuiltCli, REPO_ROOT } from '../fixtures/oml/built-cli.js';
import { runCli } from '../support/cli.js';

const EXAMPLES = join(REPO_ROOT, 'examples');

beforeAll(() => ensureBuiltCli(), 300_000);

describe('osiris validate', () => {
  it.each([
    '01-linear-chain.yaml',
    '02-join-branches.yaml',
    '03-upstream-inputs.yaml',
    '04-params-profiles.yaml',
  ])('accepts examples/pipelines/%s, resolving its connections', async (name) => {
    const file = `pipelines/${name}`;
    const { code, stdout, stderr } = await runCli(['validate', file, '--connections'], { cwd: EXAMPLES });
    expect(stderr).not.toMatch(/ error /);
    expect(code).toBe(0);
    expect(stdout).toContain(`✔ ${file} is valid OML`);
  });

  it('prints the linear-chain warning for an upstream-style pipeline without needs', async () => {
    const { code, stderr } = await runCli(['validate', 'pipelines/01-linear-chain.yaml'], { cwd: EXAMPLES });
    expect(code).toBe(0);
    expect(stderr).toContain('pipelines/01-linear-chain.yaml:6:1: warning OML048:');
  });

  it.each(
    ['OML011', 'OML017', 'OML033', 'OML036', 'OML046', 'OML051', 'OML062', 'OML065'].map((code) => {
      const document = BAD_DOCUMENTS.find((candidate) => candidate.code === code)!;
      return [document.name, document] as const;
    }),
  )('reports %s as file:line:col with a hint and exits 2', async (_name, document) => {
    const dir = await mkdtemp(join(tmpdir(), 'osiris-validate-'));
    const { text, line, column } = unmark(document.text);
    await writeFile(join(dir, 'bad.yaml'), text);
    const { code, stdout, stderr } = await runCli(['validate', 'bad.yaml'], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`bad.yaml:${line}:${column}: error ${document.code}: `);
    expect(stderr).toMatch(/\n {2}hint: \S/);
    expect(stderr).toMatch(/✖ bad\.yaml is not valid: \d+ errors?, \d+ warnings?\n$/);
    expect(stderr).not.toContain('hunter2');
  });

  it('prints { ok, file, diagnostics } with --json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'osiris-validate-'));
    const { text } = unmark(BAD_DOCUMENTS.find((document) => document.code === 'OML044')!.text);
    await writeFile(join(dir, 'bad.yaml'), text);
    const { code, stdout } = await runCli(['validate', 'bad.yaml', '--json'], { cwd: dir });
    expect(code).toBe(2);
    const body = JSON.parse(stdout) as {
      ok: boolean;
      file: string;
      diagnostics: Array<Record<string, unknown>>;
    };
    expect(body).toMatchObject({ ok: false, file: 'bad.yaml' });
    expect(body.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'OML044',
        severity: 'error',
        file: 'bad.yaml',
        line: 11,
        column: 13,
        path: '/steps/1/needs/0',
      }),
    );
  });

  it('checks connection references whenever a connections file is found (--no-connections skips)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'osiris-validate-'));
    const { text } = unmark(BAD_DOCUMENTS.find((document) => document.code === 'OML059')!.text);
    await writeFile(join(dir, 'pipeline.yaml'), text);
    expect((await runCli(['validate', 'pipeline.yaml'], { cwd: dir })).code).toBe(0);
    await writeFile(join(dir, 'osiris_connections.yaml'), SAMPLE_CONNECTIONS);
    expect((await runCli(['validate', 'pipeline.yaml', '--no-connections'], { cwd: dir })).code).toBe(0);
    const strict = await runCli(['validate', 'pipeline.yaml'], { cwd: dir });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(
      'pipeline.yaml:13:19: error OML059: Connection @mysql.nope is not defined',
    );
    expect(strict.stderr).toContain('did you mean @mysql.shop?');
  });

  it('refuses a 50 MB file and binary garbage without parsing them, and a missing file with E_FILE_NOT_FOUND', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'osiris-validate-'));
    await writeFile(join(dir, 'huge.yaml'), Buffer.alloc(50 * 1024 * 1024, '#'));
    await writeFile(
      join(dir, 'garbage.yaml'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
    );
    const huge = await runCli(['validate', 'huge.yaml'], { cwd: dir });
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain('huge.yaml:1:1: error OML001: the file is 50.0 MB');
    const garbage = await runCli(['validate', 'garbage.yaml'], { cwd: dir });
    expect(garbage.code).toBe(2);
    // The PNG signature holds two line breaks before its first NUL byte.
    expect(garbage.stderr).toContain('garbage.yaml:3:1: error OML002: ');
    await rm(join(dir, 'huge.yaml'));
    const missing = await runCli(['validate', 'nope.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[E_FILE_NOT_FOUND]');
  });
});
