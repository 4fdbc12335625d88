import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectDir, findProjectDirFor } from './find-project-dir.js';

function tempDir(): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), 'osiris-project-')));
}

describe('findProjectDir', () => {
  it('is $OSIRIS_HOME when set, resolved against the cwd', () => {
    const root = tempDir();
    expect(findProjectDir(root, { OSIRIS_HOME: '/somewhere/else' })).toBe('/somewhere/else');
    expect(findProjectDir(root, { OSIRIS_HOME: 'home' })).toBe(path.join(root, 'home'));
  });

  it('is the nearest folder upward holding osiris_connections.yaml or osiris.yaml', () => {
    const root = tempDir();
    const nested = path.join(root, 'project', 'pipelines', 'sub');
    mkdirSync(nested, { recursive: true });
    writeFileSync(path.join(root, 'osiris_connections.yaml'), 'version: 1\n');
    expect(findProjectDir(nested, {})).toBe(root);
    writeFileSync(path.join(root, 'project', 'osiris.yaml'), 'version: 1\n');
    expect(findProjectDir(nested, {})).toBe(path.join(root, 'project'));
  });

  it('is the cwd when no folder upward is a project', () => {
    const root = tempDir();
    const nested = path.join(root, 'a');
    mkdirSync(nested);
    const found = findProjectDir(nested, {});
    // Only meaningful when nothing above the temp folder is a project.
    if (found.startsWith(root)) expect(found).toBe(nested);
  });

  it("for a pipeline file, is the pipeline's own project first, whatever the cwd or $OSIRIS_HOME", () => {
    const root = tempDir();
    const project = path.join(root, 'project');
    const elsewhere = path.join(root, 'elsewhere');
    mkdirSync(path.join(project, 'pipelines'), { recursive: true });
    mkdirSync(elsewhere);
    writeFileSync(path.join(project, 'osiris_connections.yaml'), 'version: 1\n');
    writeFileSync(path.join(elsewhere, 'osiris.yaml'), 'version: 1\n');
    const pipeline = path.relative(elsewhere, path.join(project, 'pipelines', 'x.yaml'));
    expect(findProjectDirFor(pipeline, elsewhere, {})).toBe(project);
    expect(findProjectDirFor(pipeline, elsewhere, { OSIRIS_HOME: elsewhere })).toBe(project);
    // A pipeline outside any project falls back to the cwd's project.
    const loose = path.join(root, 'loose.yaml');
    expect(findProjectDirFor(loose, elsewhere, {})).toBe(elsewhere);
  });
});
