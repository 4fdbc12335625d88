import { beforeAll, expect, it } from 'vitest';
import { type DatabaseServerFacts, describeIfServers, requireTestServer } from '../setup/test-servers.js';
import { runCli } from '../support/cli.js';
import { filesContaining } from '../support/project.js';
import { connectionsFile, makeDiscoveryProject, serverConnectionYaml } from './discovery-fixtures.js';

// End to end through the built CLI (dist/), as a user runs it.
describeIfServers('mysql', 'osiris discover (CLI)', () => {
  let facts: DatabaseServerFacts;
  let projectDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    facts = requireTestServer('mysql');
    env = { MYSQL_PASSWORD: facts.password };
    projectDir = await makeDiscoveryProject(
      connectionsFile({
        mysql: [serverConnectionYaml('movies', facts, { passwordVariable: 'MYSQL_PASSWORD' })],
      }),
    );
  });

  const expectNoPassword = (...texts: string[]) => {
    for (const text of texts) expect(text).not.toContain(facts.password);
  };

  it('finds Ava DuVernay, her facts and her films, without ever printing the password', async () => {
    const result = await runCli(['discover', '@mysql.movies', '--search', 'Ava DuVernay'], {
      cwd: projectDir,
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('"Ava DuVernay" in @mysql.movies: 1 column matches (5 tables searched)');
    expect(result.stdout).toContain('directors.name · 1 row');
    // Her row, aligned under its header.
    const header = lines.findIndex((line) => /^\s+id\s+name\s+birth_year\s+nationality\s+awards$/.test(line));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 2]).toMatch(/^\s+1\s+Ava DuVernay\s+1972\s+American\s+8$/);
    expect(result.stdout).toContain('movies referencing it via movies(director_id) → directors(id)');
    expect(lines.some((line) => /^\s+\d+\s+Selma\s+2014\s+Drama\s+1\b/.test(line))).toBe(true);
    expectNoPassword(result.stdout, result.stderr);
  });

  it('prints a readable profile, then serves the same one from the cache', async () => {
    const first = await runCli(['discover', '@mysql.movies', '--samples', '2'], { cwd: projectDir, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^@mysql\.movies · mysql · MariaDB [\d.]+ · schema movies · 5 tables\n/);
    expect(first.stdout).toMatch(/\ndiscovered \d{4}-/);
    expect(first.stdout).toMatch(/\ndirectors · table/);
    expect(first.stdout).toMatch(/\n {2}director_id\s+int\(11\)\s+yes\s+FK→directors\.id\n/);
    expect(first.stdout).toMatch(/\n {2}id\s+int\(11\)\s+no\s+PK/);
    expect(first.stdout).toContain('foreign keys: movie_id → movies(id); actor_id → actors(id)');
    expect(first.stdout).toContain('sample (2 rows):');
    const second = await runCli(['discover', '@mysql.movies', '--samples', '2'], { cwd: projectDir, env });
    expect(second.stderr).toBe('');
    expect(second.stdout).toMatch(/\nfrom the cache: discovered .*; --refresh discovers again\n/);
    expect(second.stdout.split('\n').slice(2)).toEqual(first.stdout.split('\n').slice(2));
    const refreshed = await runCli(['discover', '@mysql.movies', '--samples', '2', '--refresh'], {
      cwd: projectDir,
      env,
    });
    expect(refreshed.stdout).not.toContain('from the cache');
    expectNoPassword(first.stdout, second.stdout, refreshed.stdout);
  });

  it('prints JSON with --json and narrows with --tables', async () => {
    const result = await runCli(
      ['discover', '@mysql.movies', '--tables', 'directors', '--samples', '0', '--json'],
      {
        cwd: projectDir,
        env,
      },
    );
    expect(result.code).toBe(0);
    const profile = JSON.parse(result.stdout);
    expect(profile).toMatchObject({ connection: '@mysql.movies', family: 'mysql', cached: false });
    expect(profile.tables.map((table: { name: string }) => table.name)).toEqual(['directors']);
    expect(profile.tables[0].sample).toBeUndefined();
  });

  it('keeps the password out of files and errors', async () => {
    expect(await filesContaining(projectDir, facts.password)).toEqual([]);
    const wrong = await runCli(['discover', '@mysql.movies', '--refresh'], {
      cwd: projectDir,
      env: { MYSQL_PASSWORD: 'Not-The-Password-2024' },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('[E_AUTH_FAILED]');
    expect(`${wrong.stdout}${wrong.stderr}`).not.toContain('Not-The-Password-2024');
    const usage = await runCli(['discover', '@mysql.movies', '--samples', 'lots'], { cwd: projectDir, env });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('[E_USAGE]');
  });
});
