import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OSIRIS_BIN, runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';

let project = '';
let pathWithOsiris = '';

beforeAll(async () => {
  project = await makeProject({
    'osiris_connections.yaml': `version: 1
connections:
  mysql:
    shop: { default: true, host: localhost, database: shop, user: app, password: "\${SHOP_PASSWORD}" }
  duckdb:
    local: { path: data/local.duckdb }
`,
    'pipelines/orders.yaml': `oml_version: "0.1.0"
name: orders
steps:
  - { id: extract-orders, component: mysql.extractor, mode: read, config: { connection: "@mysql.shop", table: orders } }
  - { id: write-csv, component: filesystem.csv_writer, mode: write, needs: [extract-orders], config: { path: output/orders.csv } }
`,
  });
  // An `osiris` on the PATH, as after `npm install -g`: the scripts call it back.
  const bin = await mkdtemp(join(tmpdir(), 'osiris-bin-'));
  await writeFile(
    join(bin, 'osiris'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(OSIRIS_BIN)} "$@"\n`,
  );
  await chmod(join(bin, 'osiris'), 0o755);
  pathWithOsiris = `${bin}:${process.env.PATH}`;
});

/** What bash offers for the words typed so far (the last one being completed), via the real script. */
function bashComplete(words: string[]): string[] {
  const quoted = words.map((word) => `'${word}'`).join(' ');
  const script = `source <(osiris completion bash)
COMP_WORDS=(osiris ${quoted}); COMP_CWORD=${words.length}
_osiris_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['-c', script], {
    cwd: project,
    env: { ...process.env, PATH: pathWithOsiris, OSIRIS_HOME: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

describe('osiris completion (built CLI)', () => {
  it('prints a script for bash, zsh and fish, and refuses other shells', async () => {
    for (const [shell, marker] of [
      ['bash', 'complete -o default -F _osiris_complete osiris'],
      ['zsh', '#compdef osiris'],
      ['fish', "complete -c osiris -f -a '(__osiris_complete)'"],
    ]) {
      const result = await runCli(['completion', shell!], { cwd: project });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(marker);
    }
    const tcsh = await runCli(['completion', 'tcsh'], { cwd: project });
    expect(tcsh.code).toBe(2);
    expect(tcsh.stderr).toContain('bash | zsh | fish');
  });

  it('bash completes commands, options, pipeline files, step ids and @family.alias names', () => {
    expect(bashComplete(['ru'])).toEqual(['run']);
    expect(bashComplete(['run', ''])).toEqual(['pipelines/orders.yaml']);
    expect(bashComplete(['run', 'pipelines/orders.yaml', '--no-'])).toEqual(['--no-report', '--no-samples']);
    expect(bashComplete(['run', 'pipelines/orders.yaml', '--select', ''])).toEqual([
      'extract-orders',
      'extract-orders+',
      'write-csv',
      'write-csv+',
    ]);
    expect(bashComplete(['discover', '@my'])).toEqual(['@mysql', '@mysql.shop']);
    expect(bashComplete(['connections', 'doctor', '@'])).toEqual([
      '@duckdb',
      '@duckdb.local',
      '@mysql',
      '@mysql.shop',
    ]);
    expect(bashComplete(['logs', 's'])).toEqual(['show']);
    expect(bashComplete(['logs', 'a'])).toEqual(['aiop']);
    expect(bashComplete(['logs', 'aiop', ''])).toEqual(['list', 'prune']);
  });
});
