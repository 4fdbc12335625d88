import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { discoverDatabase } from '../../src/composition/builtins.js';
import { buildMoviesSqlite, makeDiscoveryProject } from './discovery-fixtures.js';

const CONNECTIONS = `version: 1
connections:
  sqlite:
    movies:
      path: data/movies.sqlite
`;

let projectDir: string;
const cacheFolder = () => path.join(projectDir, '.osiris', 'cache', 'discovery');

beforeEach(async () => {
  projectDir = await makeDiscoveryProject(CONNECTIONS);
  await buildMoviesSqlite(path.join(projectDir, 'data', 'movies.sqlite'));
});

describe('the discovery cache', () => {
  it('serves the second call from a 0600 file named by a SHA-256', async () => {
    const first = await discoverDatabase({ projectDir, ref: '@sqlite.movies' });
    expect(first.cached).toBe(false);
    const second = await discoverDatabase({ projectDir, ref: '@sqlite.movies' });
    expect(second.cached).toBe(true);
    expect({ ...second, cached: false }).toEqual(first);

    const files = await readdir(cacheFolder());
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.json$/);
    const file = path.join(cacheFolder(), files[0]!);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(cacheFolder())).mode & 0o077).toBe(0);
    // Sampled values are in it: that is why it is private.
    expect(await readFile(file, 'utf8')).toContain('Ava DuVernay');
  });

  it('is keyed by the options: other tables or another sample size discover again', async () => {
    await discoverDatabase({ projectDir, ref: '@sqlite.movies' });
    const fewerSamples = await discoverDatabase({ projectDir, ref: '@sqlite.movies', samples: 2 });
    expect(fewerSamples.cached).toBe(false);
    expect(fewerSamples.tables[0]?.sample?.rows).toHaveLength(2);
    const oneTable = await discoverDatabase({ projectDir, ref: '@sqlite.movies', tables: ['directors'] });
    expect(oneTable.cached).toBe(false);
    expect(oneTable.tables.map((table) => table.name)).toEqual(['directors']);
    // The same option written differently is the same key.
    const again = await discoverDatabase({
      projectDir,
      ref: '@sqlite.movies',
      tables: [' directors', 'directors'],
    });
    expect(again.cached).toBe(true);
    expect(await readdir(cacheFolder())).toHaveLength(3);
  });

  it('is bypassed by refresh, which still stores the new profile', async () => {
    const first = await discoverDatabase({ projectDir, ref: '@sqlite.movies', samples: 0 });
    const refreshed = await discoverDatabase({
      projectDir,
      ref: '@sqlite.movies',
      samples: 0,
      refresh: true,
    });
    expect(refreshed.cached).toBe(false);
    expect(refreshed.discovered_at >= first.discovered_at).toBe(true);
    const cached = await discoverDatabase({ projectDir, ref: '@sqlite.movies', samples: 0 });
    expect(cached).toEqual({ ...refreshed, cached: true });
  });

  it('expires after the TTL', async () => {
    await discoverDatabase({ projectDir, ref: '@sqlite.movies', samples: 0 });
    const expired = await discoverDatabase({ projectDir, ref: '@sqlite.movies', samples: 0, ttlMs: 0 });
    expect(expired.cached).toBe(false);
  });

  it('is invalidated when the database file changes', async () => {
    await discoverDatabase({ projectDir, ref: '@sqlite.movies', samples: 0 });
    const file = path.join(projectDir, 'data', 'movies.sqlite');
    const later = new Date(Date.now() + 60_000);
    await utimes(file, later, later);
    expect((await discoverDatabase({ projectDir, ref: '@sqlite.movies', samples: 0 })).cached).toBe(false);
  });

  it('treats a damaged cache file as a miss and replaces it', async () => {
    await discoverDatabase({ projectDir, ref: '@sqlite.movies', samples: 0 });
    const [name] = await readdir(cacheFolder());
    const file = path.join(cacheFolder(), name!);
    await writeFile(file, '{ not json');
    const profile = await discoverDatabase({ projectDir, ref: '@sqlite.movies', samples: 0 });
    expect(profile.cached).toBe(false);
    expect(JSON.parse(await readFile(file, 'utf8')).profile.connection).toBe('@sqlite.movies');
  });
});
