import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';

const files = {
  'data/users.csv': 'id,name\n1,Ada\n2,Linus\n',
  'data/cities.csv': 'city\nOslo\n',
  'pipelines/two.yaml': `oml_version: "0.1.0"
name: two
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: shout, component: duckdb.processor, mode: transform, needs: [users], config: { query: "SELECT id, upper(name) AS name FROM input_df" } }
  - { id: write-users, component: filesystem.csv_writer, mode: write, needs: [shout], config: { path: output/users.csv } }
  - { id: cities, component: filesystem.csv_extractor, mode: read, config: { path: data/cities.csv } }
  - { id: write-cities, component: filesystem.csv_writer, mode: write, needs: [cities], config: { path: output/cities.csv } }
`,
};
const env = { OSIRIS_HOME: undefined };

async function run(
  args: string[],
): Promise<{ code: number | null; steps: string[]; dir: string; stderr: string }> {
  const dir = await makeProject(files);
  const result = await runCli(['run', 'pipelines/two.yaml', '--json', '--no-report', ...args], {
    cwd: dir,
    env,
  });
  const steps =
    result.code === 0 ? JSON.parse(result.stdout).steps.map((step: { id: string }) => step.id) : [];
  return { code: result.code, steps, dir, stderr: result.stdout + result.stderr };
}

describe('osiris run --select / --from (built CLI)', () => {
  it('--select STEP runs that step and the steps it needs, nothing else', async () => {
    const result = await run(['--select', 'shout']);
    expect(result.code).toBe(0);
    expect(result.steps).toEqual(['users', 'shout']);
    expect(existsSync(join(result.dir, 'output/users.csv'))).toBe(false);
    expect(existsSync(join(result.dir, 'output/cities.csv'))).toBe(false);
  });

  it('--select STEP+ also runs every step after it; other branches stay untouched', async () => {
    const result = await run(['--select', 'shout+']);
    expect(result.steps).toEqual(['users', 'shout', 'write-users']);
    expect(existsSync(join(result.dir, 'output/users.csv'))).toBe(true);
    expect(existsSync(join(result.dir, 'output/cities.csv'))).toBe(false);
  });

  it('--from STEP resumes at a step, running what it needs again', async () => {
    const result = await run(['--from', 'write-cities']);
    expect(result.steps).toEqual(['cities', 'write-cities']);
    expect(existsSync(join(result.dir, 'output/cities.csv'))).toBe(true);
    expect(existsSync(join(result.dir, 'output/users.csv'))).toBe(false);
  });

  it('an unknown step is invalid input that lists the steps', async () => {
    const result = await run(['--select', 'shuot']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no step 'shuot'");
    expect(result.stderr).toContain('users, shout, write-users, cities, write-cities');
  });
});
