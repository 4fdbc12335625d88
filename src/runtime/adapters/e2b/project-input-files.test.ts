import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledPipeline } from '../../../spec/manifest.js';
import { projectInputFiles } from './project-input-files.js';

/** What an E2B sandbox receives of the project: the files read steps name, and used project components. */
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'osiris-e2b-inputs-'));
  await mkdir(join(project, 'data'));
  await writeFile(join(project, 'data/users.csv'), 'id\n1\n');
  for (const name of ['acme.numbers', 'acme.unused']) {
    await mkdir(join(project, 'components', name, 'lib'), { recursive: true });
    await mkdir(join(project, 'components', name, 'node_modules', 'x'), { recursive: true });
    await writeFile(join(project, 'components', name, 'spec.yaml'), 'name: x\n');
    await writeFile(join(project, 'components', name, 'driver.js'), 'export async function run() {}\n');
    await writeFile(join(project, 'components', name, 'lib/helper.js'), 'export const x = 1;\n');
    await writeFile(join(project, 'components', name, 'node_modules/x/index.js'), '');
    await writeFile(join(project, 'components', name, '.secret'), 'never');
  }
  await writeFile(join(project, '.env'), 'TOKEN=never\n');
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

function compiled(
  steps: { id: string; component: string; mode: 'read' | 'write'; path?: string }[],
): CompiledPipeline {
  return {
    manifest: {
      steps: steps.map((step) => ({
        id: step.id,
        component: step.component,
        component_version: '0.1.0',
        mode: step.mode,
        needs: [],
        cfg_path: `cfg/${step.id}.json`,
      })),
    } as unknown as CompiledPipeline['manifest'],
    cfg: Object.fromEntries(steps.map((step) => [step.id, step.path ? { path: step.path } : {}])),
  };
}

describe('projectInputFiles', () => {
  it('uploads the folder of each project component a step uses, without hidden files or node_modules', async () => {
    const { files, refused } = await projectInputFiles(
      compiled([
        { id: 'users', component: 'filesystem.csv_extractor', mode: 'read', path: 'data/users.csv' },
        { id: 'numbers', component: 'acme.numbers', mode: 'read' },
        { id: 'out', component: 'filesystem.csv_writer', mode: 'write', path: 'out/x.csv' },
      ]),
      {},
      project,
    );
    expect(refused).toEqual([]);
    expect(files.map((file) => file.path).sort()).toEqual([
      'components/acme.numbers/driver.js',
      'components/acme.numbers/lib/helper.js',
      'components/acme.numbers/spec.yaml',
      'data/users.csv',
    ]);
  });
});
