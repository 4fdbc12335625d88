import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalAdapter } from '../../src/runtime/adapters/local.js';
import { createSubprocessAdapter } from '../../src/runtime/adapters/subprocess.js';
import { makeParityProject, observeRun, PARITY_SECRET, parityPipelines } from '../support/parity.js';
import { filesContaining } from '../support/project.js';

describe('local and subprocess adapters are observably identical', () => {
  for (const name of Object.keys(parityPipelines)) {
    it(`gives the same events, metrics and bytes for the ${name} pipeline`, async () => {
      const localDir = await makeParityProject(name);
      const remoteDir = await makeParityProject(name);
      const local = await observeRun(localDir, createLocalAdapter({ concurrency: 1 }), name);
      const remote = await observeRun(remoteDir, createSubprocessAdapter({ concurrency: 1 }), name);
      expect(remote.status).toBe(local.status);
      expect(remote.error).toBe(local.error);
      expect(remote.errorText).toBe(local.errorText);
      expect(remote.events).toEqual(local.events);
      expect(remote.metrics).toEqual(local.metrics);
      expect(remote.metricNames).toEqual(local.metricNames);
      expect(Object.keys(remote.outputs).sort()).toEqual(Object.keys(local.outputs).sort());
      expect(remote.outputs).toEqual(local.outputs);
      expect(local.status).toBe(
        ['failing', 'escaping', 'failing-check'].includes(name) ? 'failed' : 'success',
      );
      if (name === 'escaping') expect(local.error).toBe('E_PATH_ESCAPE');
      if (name === 'project-component') {
        const csv = Buffer.from(local.outputs['/out/shout.csv'] ?? '', 'base64').toString('utf8');
        expect(csv).toBe('id,name,country\n1,ADA,UK\n2,LINUS,FI\n3,GRACE,US\n');
      }
      expect(await filesContaining(join(remoteDir, '.osiris'), PARITY_SECRET)).toEqual([]);
    });
  }
});
