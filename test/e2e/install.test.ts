/**
 * Issue 14, item 2: `osiris` on the PATH from a clone, as the README's first screen says. A real
 * `npm install -g` of the checkout into a temp prefix (npm links a folder, so it needs no network:
 * about 3 s), then the commands a new user types, from a folder that has nothing to do with the clone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli, REPO_ROOT } from '../fixtures/oml/built-cli.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  files: string[];
};

beforeAll(() => ensureBuiltCli(), 300_000);

/** A shell command with the temp prefix's bin/ first on PATH, as after `npm install -g`. */
function shell(command: string, cwd: string, bin: string) {
  const result = spawnSync('sh', ['-c', command], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      OSIRIS_HOME: '',
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('installing the CLI from the checkout', () => {
  it('the npm package is osiris-etl and its command is osiris (the npm name `osiris` is an unrelated package)', () => {
    expect(pkg.name).toBe('osiris-etl');
    expect(pkg.bin).toEqual({ osiris: 'bin/osiris.js' });
    expect(pkg.files).toEqual(expect.arrayContaining(['bin', 'dist', 'schemas']));
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const firstScreen = readme.split('\n').slice(0, 30).join('\n');
    expect(firstScreen).toContain('npm install -g .');
    expect(firstScreen).toContain('npx osiris-etl');
  });

  it('npm install -g puts osiris on the PATH; demo, its own next-step hint and --version work from an unrelated folder', async () => {
    const prefix = realpathSync(await mkdtemp(join(tmpdir(), 'osiris-prefix-')));
    const elsewhere = realpathSync(await mkdtemp(join(tmpdir(), 'osiris-user-')));
    const install = spawnSync(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        REPO_ROOT,
        '--offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
      ],
      { cwd: elsewhere, encoding: 'utf8', timeout: 180_000 },
    );
    expect(install.status, install.stderr).toBe(0);
    const bin = join(prefix, 'bin');
    expect(existsSync(join(bin, 'osiris'))).toBe(true);

    const which = shell('command -v osiris', elsewhere, bin);
    expect(which.stdout.trim()).toBe(join(bin, 'osiris'));

    const version = shell('osiris --version', elsewhere, bin);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(
      new RegExp(`^osiris ${pkg.version}\\nNode\\.js v\\d+\\.\\d+\\.\\d+\\nDuckDB \\d+\\.\\d+`),
    );

    const demo = shell('osiris demo', elsewhere, bin);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('Demo complete in osiris-demo/');
    expect(existsSync(join(elsewhere, 'osiris-demo', 'output', 'movie_ratings.csv'))).toBe(true);
    // The demo's own hint, typed as printed.
    const hint = /next: {2}(cd osiris-demo && osiris logs list)/.exec(demo.stdout)?.[1];
    expect(hint).toBeDefined();
    const logs = shell(hint!, elsewhere, bin);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('movie-ratings');
  });
});
