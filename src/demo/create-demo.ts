import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { produceFileAtomic, writeFileAtomic } from '../util/atomic-file.js';
import {
  demoConnectionsYaml,
  demoGitignore,
  demoReadme,
  directorStatsPipeline,
  movieRatingsPipeline,
} from './demo-pipelines.js';
import { moviesSql } from './movies-data.js';

export const DEMO_PIPELINES = ['pipelines/movie-ratings.yaml', 'pipelines/director-stats.yaml'] as const;

const DEMO_FILES: ReadonlyArray<readonly [string, string]> = [
  ['osiris_connections.yaml', demoConnectionsYaml],
  ['pipelines/movie-ratings.yaml', movieRatingsPipeline],
  ['pipelines/director-stats.yaml', directorStatsPipeline],
  ['.gitignore', demoGitignore],
  ['README.md', demoReadme],
];

/**
 * Writes the demo project into `dir`: connections, pipelines and the movies database. Refuses to
 * touch a folder that already holds a different project unless `force` is set.
 */
export async function createDemoProject(dir: string, options: { force?: boolean } = {}): Promise<string[]> {
  const existing = [...DEMO_FILES.map(([path]) => path), 'data/movies.duckdb'].filter((p) =>
    existsSync(join(dir, p)),
  );
  if (existing.length > 0 && !options.force) {
    throw new OsirisError(ErrorCodes.USAGE, `${dir} already contains ${existing.join(', ')}.`, {
      hint: 'Choose another folder (osiris demo my-demo) or pass --force to overwrite the demo files.',
    });
  }
  await mkdir(dir, { recursive: true });
  for (const [path, content] of DEMO_FILES) await writeFileAtomic(join(dir, path), content);
  await buildMoviesDatabase(join(dir, 'data', 'movies.duckdb'));
  return [...DEMO_FILES.map(([path]) => path), 'data/movies.duckdb'];
}

/** Builds the movies database in a temp file and moves it into place when complete. */
export async function buildMoviesDatabase(target: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  await produceFileAtomic(target, async (tempPath) => {
    const instance = await DuckDBInstance.create(tempPath);
    const connection = await instance.connect();
    try {
      for (const statement of moviesSql('duckdb')) await connection.run(statement);
      await connection.run('CHECKPOINT');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    // DuckDB may leave a write-ahead log beside the file; after CHECKPOINT it holds nothing.
    await rm(`${tempPath}.wal`, { force: true });
  });
}
