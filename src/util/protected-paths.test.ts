import { describe, expect, it } from 'vitest';
import { checkConfigPath } from './protected-paths.js';

const project = '/work/project';

describe('checkConfigPath', () => {
  it('accepts relative paths inside the project, for reading and writing', () => {
    expect(checkConfigPath('output/a.csv', { projectDir: project, write: true })).toBeUndefined();
    expect(checkConfigPath('./data/../output/a.csv', { write: true })).toBeUndefined();
    expect(checkConfigPath('pipelines/report.csv', { write: true })).toBeUndefined();
    expect(checkConfigPath('data/osiris_connections.yaml', { write: false })).toBeUndefined();
  });

  it('refuses paths that lead outside the project, relative or absolute', () => {
    expect(checkConfigPath('../escaped.csv', { write: true })).toMatchObject({ kind: 'outside' });
    expect(checkConfigPath('output/../../x.csv', { write: false })).toMatchObject({ kind: 'outside' });
    expect(checkConfigPath('/tmp/x.csv', { projectDir: project, write: true })).toMatchObject({
      kind: 'outside',
      reason: expect.stringContaining('absolute'),
    });
  });

  it("refuses writes onto the project's own files, whatever the case", () => {
    for (const path of [
      'osiris_connections.yaml',
      'osiris.yaml',
      '.env',
      '.ENV',
      'sub/.env.local',
      '.osiris/runs/index.db',
      'build/movies/manifest.yaml',
      'BUILD/x.csv',
      '.git/config',
      'pipelines/other.yaml',
      'pipelines/nested/x.yml',
      `${project}/osiris_connections.yaml`,
    ]) {
      expect(checkConfigPath(path, { projectDir: project, write: true }), path).toMatchObject({
        kind: 'protected',
      });
    }
    expect(
      checkConfigPath('jobs/load.yaml', {
        projectDir: project,
        write: true,
        pipelineFile: `${project}/jobs/load.yaml`,
      }),
    ).toMatchObject({ kind: 'protected', reason: 'this pipeline file' });
    // Reading them is not refused here (connections are read through `connection:`, not paths).
    expect(checkConfigPath('.osiris/runs/index.db', { projectDir: project, write: false })).toBeUndefined();
  });

  it('flags an absolute path inside the project as absolute (it ties the pipeline to this folder)', () => {
    expect(checkConfigPath(`${project}/output/a.csv`, { projectDir: project, write: true })).toEqual({
      kind: 'absolute',
    });
    expect(checkConfigPath('/anywhere/a.csv', { write: true })).toEqual({ kind: 'absolute' });
  });
});
