import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * `osiris components` end to end through the built CLI (bin/osiris.js → dist/). `npm test` builds
 * first; a targeted run without dist/ builds here. tsc emits even when files of work in progress
 * elsewhere fail to typecheck, so only a missing entry point counts as a failed build.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const entry = `${root}dist/cli/main.js`;

function osiris(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/osiris.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(entry)) {
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
    } catch {
      // Type errors still emit JavaScript; the check below decides whether the build is usable.
    }
  }
  expect(existsSync(entry), 'dist/cli/main.js was not built').toBe(true);
}, 300_000);

describe('osiris components list', () => {
  it('prints an aligned table of every component', () => {
    const { code, stdout } = osiris('components', 'list');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+MODES\s+TITLE$/);
    expect(lines).toHaveLength(17);
    const titleColumn = lines[0]!.indexOf('TITLE');
    expect(lines.find((line) => line.startsWith('mysql.extractor '))).toMatch(/extract, discover\s+MySQL/);
    for (const line of lines.slice(1)) expect(line.slice(titleColumn - 2, titleColumn)).toBe('  ');
  });

  it('filters by mode and prints summaries as JSON', () => {
    const { code, stdout } = osiris('components', 'list', '--mode', 'write', '--json');
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as { ok: boolean; components: Array<{ name: string; modes: string[] }> };
    expect(body.ok).toBe(true);
    expect(body.components.map((component) => component.name)).toEqual([
      'filesystem.csv_writer',
      'filesystem.json_writer',
      'filesystem.parquet_writer',
      'mysql.writer',
      'postgres.writer',
      'supabase.writer',
    ]);
    expect(body.components.every((component) => component.modes.includes('write'))).toBe(true);
  });

  it('rejects an unknown mode with exit code 2', () => {
    const { code, stderr } = osiris('components', 'list', '--mode', 'load');
    expect(code).toBe(2);
    expect(stderr).toContain('[E_USAGE] Unknown mode "load"');
  });
});

describe('osiris components show', () => {
  it('shows a component with its config table, policies and example', () => {
    const { code, stdout } = osiris('components', 'show', 'mysql.extractor');
    expect(code).toBe(0);
    expect(stdout).toContain('mysql.extractor 1.0.0: MySQL / MariaDB extractor');
    expect(stdout).toContain('Connection:   @mysql.<alias> (required)');
    expect(stdout).toMatch(/connection\s+string\s+yes/);
    expect(stdout).toMatch(/fetch_size\s+integer\s+no\s+10000/);
    expect(stdout).toMatch(/host\s+forbidden/);
    expect(stdout).toMatch(/user\s+warning/);
    expect(stdout).toContain('component: mysql.extractor');
  });

  it('prints the full spec as JSON', () => {
    const { code, stdout } = osiris('components', 'show', 'filesystem.csv_writer', '--json');
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as { ok: boolean; component: { name: string; configSchema: unknown } };
    expect(body.component.name).toBe('filesystem.csv_writer');
    expect(body.component.configSchema).toMatchObject({ required: ['path'], additionalProperties: false });
  });

  it('suggests the closest name for an unknown component and exits 2', () => {
    const { code, stdout, stderr } = osiris('components', 'show', 'mysql.extrator');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('[E_COMPONENT_UNKNOWN] Unknown component "mysql.extrator"');
    expect(stderr).toContain('did you mean mysql.extractor?');
  });

  it('reports an unknown component as JSON with --json', () => {
    const { code, stdout } = osiris('components', 'show', 'kafka.consumer', '--json');
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'E_COMPONENT_UNKNOWN' } });
  });
});
