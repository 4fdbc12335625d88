import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const FILES = [
  'osiris_connections.yaml',
  '.env.example',
  'pipelines/example.yaml',
  'data/example.csv',
  '.gitignore',
];
const env = { OSIRIS_HOME: undefined };

describe('osiris init', () => {
  it('scaffolds a project, prints next steps, then refuses to overwrite without --force', async () => {
    const parent = realpathSync(mkdtempSync(path.join(tmpdir(), 'osiris-e2e-init-')));
    const first = await runCli(['init', 'my-project'], { cwd: parent, env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const dir = path.join(parent, 'my-project');
    for (const file of FILES) {
      expect(existsSync(path.join(dir, file)), file).toBe(true);
      expect(first.stdout).toMatch(new RegExp(`created\\s+${file.replace('.', '\\.')}`));
    }
    expect(first.stdout).toContain(`Osiris project ready in ${dir}`);
    expect(first.stdout).toContain('Next steps:');
    expect(first.stdout).toContain('cd my-project');
    expect(first.stdout).toContain('osiris run pipelines/example.yaml');
    expect(first.stdout).toContain('osiris connections doctor');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['.osiris/', 'build/', 'output/', '.env']),
    );

    // The fresh project has a connections file with only commented examples.
    const list = await runCli(['connections', 'list'], { cwd: dir, env });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('defines no connections yet');

    const second = await runCli(['init', 'my-project'], { cwd: parent, env });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('[E_USAGE]');
    expect(second.stderr).toContain(
      'osiris_connections.yaml, .env.example, pipelines/example.yaml, data/example.csv',
    );
    expect(second.stderr).toContain('--force');

    const forced = await runCli(['init', '--force', '--json'], { cwd: dir, env });
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toEqual({
      ok: true,
      dir,
      files: [
        { path: 'osiris_connections.yaml', action: 'overwritten' },
        { path: '.env.example', action: 'overwritten' },
        { path: 'pipelines/example.yaml', action: 'overwritten' },
        { path: 'data/example.csv', action: 'overwritten' },
        { path: '.gitignore', action: 'unchanged' },
      ],
    });
  });

  it('has help text with an example', async () => {
    const result = await runCli(['init', '--help'], { cwd: tmpdir(), env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('$ osiris init my-project');
  });
});
