import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalAdapter } from '../../src/runtime/adapters/local.js';
import { createSubprocessAdapter } from '../../src/runtime/adapters/subprocess.js';
import { observeRun, parityFiles, parityPipelines } from '../support/parity.js';
import { makeProject } from '../support/project.js';

/**
 * Issue 19 item 13: a long chain ran out of DuckDB memory because every step's table stayed until
 * the run ended. A table is dropped once its last consumer has finished; one a writer still needs
 * stays. The pipeline's 'tables' step lists the data plane's tables while it runs.
 */
describe('data-plane tables are dropped after their last consumer', () => {
  for (const [name, adapter] of [
    ['local', () => createLocalAdapter({ concurrency: 1 })],
    ['subprocess', () => createSubprocessAdapter({ concurrency: 1 })],
  ] as const) {
    // Before: 'df_a df_b df_c' (every table lived until the run ended).
    it(`on the ${name} adapter`, async () => {
      const dir = await makeProject({
        ...parityFiles,
        'pipelines/released-tables.yaml': parityPipelines['released-tables']!,
      });
      const run = await observeRun(dir, adapter(), 'released-tables');
      expect(run.status).toBe('success');
      expect(await readFile(join(dir, 'out/tables.csv'), 'utf8')).toBe('tables\ndf_b df_c\n');
      expect(await readFile(join(dir, 'out/b.csv'), 'utf8')).toBe(
        'id,name,country\n1,Ada,UK\n2,Linus,FI\n3,Grace,US\n',
      );
    });
  }
});
