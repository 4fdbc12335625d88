import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { listFiles } from '../support/project.js';

describe('osiris demo (the main job on a fresh machine)', () => {
  it('creates the project, runs both pipelines and leaves outputs and run logs', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'osiris-demo-'));
    const result = await runCli(['demo', 'movies-demo'], { cwd: parent, env: { OSIRIS_HOME: undefined } });
    expect(result.stderr + result.stdout).toContain('Demo complete');
    expect(result.code).toBe(0);
    const dir = join(parent, 'movies-demo');
    for (const file of [
      'output/movie_ratings.csv',
      'output/movie_ratings.parquet',
      'output/director_stats.jsonl',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const csv = (await readFile(join(dir, 'output/movie_ratings.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('id,title,release_year,genre,director,avg_rating,review_count');
    expect(csv.find((line) => line.includes(',Selma,'))).toMatch(/,Selma,2014,Drama,Ava DuVernay,/);
    const directors = (await readFile(join(dir, 'output/director_stats.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const ava = directors.find((d) => d.name === 'Ava DuVernay');
    expect(ava).toMatchObject({ birth_year: 1972, nationality: 'American', awards: 8 });
    expect(Number(ava.films)).toBeGreaterThanOrEqual(3);
    const sessions = (await listFiles(join(dir, '.osiris', 'runs'))).filter((f) => f.endsWith('status.json'));
    expect(sessions).toHaveLength(2);
    // The main job writes a report too: an index page and one self-contained page per run.
    const reports = (await listFiles(join(dir, '.osiris', 'reports'))).filter((f) => f.endsWith('.html'));
    expect(reports).toHaveLength(3);
    expect(result.stdout).toContain('.osiris/reports/index.html');
    const report = await readFile(reports.find((f) => f.includes('run_'))!, 'utf8');
    expect(report).toMatch(/movie-ratings|director-stats/);

    // A second demo into the same folder refuses to overwrite without --force.
    const again = await runCli(['demo', 'movies-demo'], { cwd: parent });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
  });
});
