import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRelativePath, resolveProjectPath } from './project-path.js';

const project = resolve('/srv/projects/demo');

describe('resolveProjectPath', () => {
  it('resolves relative paths against the project folder', () => {
    expect(resolveProjectPath(project, 'output/result.csv')).toBe(join(project, 'output', 'result.csv'));
    expect(resolveProjectPath(project, './data/../data/in.csv')).toBe(join(project, 'data', 'in.csv'));
    expect(resolveProjectPath(`${project}/`, 'a.csv')).toBe(join(project, 'a.csv'));
  });

  it('accepts absolute paths inside the project', () => {
    expect(resolveProjectPath(project, join(project, 'x', 'y.parquet'))).toBe(
      join(project, 'x', 'y.parquet'),
    );
  });

  it('refuses paths that lead outside, naming the field and the value', () => {
    for (const escaping of [
      '../secrets.csv',
      'output/../../x.csv',
      '/etc/passwd',
      '..',
      resolve(project, '..', 'demo2', 'a.csv'),
    ]) {
      let caught: unknown;
      try {
        resolveProjectPath(project, escaping, 'config.path');
      } catch (error) {
        caught = error;
      }
      expect(caught, escaping).toMatchObject({
        code: 'E_PATH_ESCAPE',
        details: { field: 'config.path', value: escaping },
      });
      expect((caught as Error).message).toContain(escaping);
      expect((caught as { hint?: string }).hint).toContain('inside the project folder');
    }
  });

  it('does not mistake names that start with two dots for an escape', () => {
    expect(resolveProjectPath(project, '..data/in.csv')).toBe(join(project, '..data', 'in.csv'));
  });

  it('refuses NUL characters', () => {
    expect(() => resolveProjectPath(project, 'a\0b')).toThrow(
      expect.objectContaining({ code: 'E_PATH_ESCAPE' }),
    );
  });
});

describe('projectRelativePath', () => {
  it('gives the path relative to the project with forward slashes', () => {
    expect(projectRelativePath(project, join(project, 'output', 'a.csv'))).toBe('output/a.csv');
  });
});

describe('resolveProjectPath with symbolic links', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'osiris-links-'));
    await mkdir(join(dir, 'project', 'output'), { recursive: true });
    await mkdir(join(dir, 'outside'));
    await symlink(join(dir, 'outside'), join(dir, 'project', 'escape'));
    await symlink(join(dir, 'project', 'output'), join(dir, 'project', 'inside'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses a path through a link that points outside the project', () => {
    const project = join(dir, 'project');
    for (const escaping of ['escape/x.csv', 'escape/new/deeper/x.csv', 'escape']) {
      expect(() => resolveProjectPath(project, escaping)).toThrow(
        expect.objectContaining({
          code: 'E_PATH_ESCAPE',
          message: expect.stringContaining('through a symbolic link'),
        }),
      );
    }
  });

  it('follows links that stay inside, also when the project folder itself is reached through one', async () => {
    const project = join(dir, 'project');
    expect(resolveProjectPath(project, 'inside/x.csv')).toBe(join(project, 'inside', 'x.csv'));
    await symlink(project, join(dir, 'alias'));
    expect(resolveProjectPath(join(dir, 'alias'), 'output/x.csv')).toBe(
      join(dir, 'alias', 'output', 'x.csv'),
    );
  });
});
