import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OSIRIS_BIN } from '../support/cli.js';
import { makeProject } from '../support/project.js';

const SCRIPT = '/usr/bin/script';

/** `osiris run` on a real pseudo-terminal (util-linux `script`), as a user at a shell sees it. */
describe.skipIf(!existsSync(SCRIPT))('osiris run progress on a terminal (built CLI)', () => {
  it('shows rows, rows/s and, for a writer whose input size is known, percent done', async () => {
    const dir = await makeProject({
      'data/users.csv': 'id,name\n1,Ada\n2,Linus\n3,Grace\n',
      'pipelines/ok.yaml': `oml_version: "0.1.0"
name: ok
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [users], config: { path: output/users.csv } }
`,
    });
    const env: Record<string, string | undefined> = { ...process.env, TERM: 'xterm', NO_COLOR: '1' };
    delete env.CI;
    delete env.OSIRIS_HOME;
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(OSIRIS_BIN)} run pipelines/ok.yaml --no-report`;
    const result = spawnSync(SCRIPT, ['-qec', command, '/dev/null'], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    const screen = result.stdout.replaceAll('\r', '');
    expect(screen).toMatch(/out {2}3 rows of 3 \(100%\) {2}[\d,]+ rows\/s/);
    expect(screen).toContain('ok succeeded');
  });
});
