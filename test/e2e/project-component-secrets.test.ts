import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/oml/built-cli.js';
import { runCli } from '../support/cli.js';

/**
 * A project component's `secrets` name connection fields exactly as a built-in's do: the
 * connections commands mask them and warn when they are written in plain text.
 */
const PLANTED = 'Planted-Blob-Secret-4242';
let project: string;

beforeAll(async () => {
  expect(existsSync(join(REPO_ROOT, 'dist/cli/main.js')), 'run `npm run build` first').toBe(true);
  project = await mkdtemp(join(tmpdir(), 'osiris-component-secrets-'));
  await writeFile(
    join(project, 'osiris_connections.yaml'),
    `version: 1\nconnections:\n  acme:\n    main:\n      region: eu\n      blob_credential: ${PLANTED}\n`,
  );
  const created = await runCli(['components', 'new', 'acme.reader', '--mode', 'extract'], { cwd: project });
  expect(created.code, created.stderr).toBe(0);
  const spec = join(project, 'components/acme.reader/spec.yaml');
  await writeFile(
    spec,
    (await readFile(spec, 'utf8')).replace('secrets: []', "secrets: ['/blob_credential']"),
  );
}, 60_000);

it('masks the fields a project component marks secret in connections list and doctor', async () => {
  for (const args of [
    ['connections', 'list'],
    ['connections', 'list', '--json'],
    ['connections', 'doctor'],
    ['connections', 'doctor', '--json'],
  ]) {
    const result = await runCli(args, { cwd: project });
    expect(`${result.stdout}${result.stderr}`, args.join(' ')).not.toContain(PLANTED);
  }
  const list = await runCli(['connections', 'list'], { cwd: project });
  expect(list.stdout).toContain('region=eu');
  expect(list.stderr).toMatch(/blob_credential/);
});
