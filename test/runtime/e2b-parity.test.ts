import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createE2bAdapter } from '../../src/runtime/adapters/e2b/e2b-adapter.js';
import { FakeSandboxApi } from '../../src/runtime/adapters/e2b/testing/fake-sandbox-api.js';
import { createLocalAdapter } from '../../src/runtime/adapters/local.js';
import { makeParityProject, observeRun, PARITY_SECRET, parityPipelines } from '../support/parity.js';
import { filesContaining } from '../support/project.js';

/** Shared by the e2b test files: the worker bundle is packed once, then reused from here. */
const BUNDLE_CACHE = join(tmpdir(), 'osiris-e2b-test-bundles');

describe('local and e2b (fake sandbox) adapters are observably identical', () => {
  const fakes: FakeSandboxApi[] = [];
  afterAll(async () => {
    for (const fake of fakes) await fake.dispose();
  });

  // The escaping pipeline reads through a link that leads outside the project: a local run refuses
  // it with E_PATH_ESCAPE, while the e2b adapter never uploads such a link (stricter, by design) and
  // says so; e2b-adapter.test.ts covers that case.
  for (const name of Object.keys(parityPipelines).filter((name) => name !== 'escaping')) {
    it(`gives the same events, metrics and bytes for the ${name} pipeline`, async () => {
      const localDir = await makeParityProject(name);
      const remoteDir = await makeParityProject(name);
      const fake = new FakeSandboxApi();
      fakes.push(fake);
      const e2b = createE2bAdapter({
        api: fake,
        env: { E2B_API_KEY: 'e2b_test_key' },
        cacheDir: BUNDLE_CACHE,
        concurrency: 1,
      });
      const local = await observeRun(localDir, createLocalAdapter({ concurrency: 1 }), name);
      const remote = await observeRun(remoteDir, e2b, name);

      expect(remote.status).toBe(local.status);
      expect(remote.error).toBe(local.error);
      expect(remote.errorText).toBe(local.errorText);
      expect(remote.events).toEqual(local.events);
      expect(remote.metrics).toEqual(local.metrics);
      expect(remote.metricNames).toEqual(local.metricNames);
      expect(Object.keys(remote.outputs).sort()).toEqual(Object.keys(local.outputs).sort());
      expect(remote.outputs).toEqual(local.outputs);
      if (name === 'failing' || name === 'failing-check') expect(local.status).toBe('failed');
      else expect(local.status).toBe('success');

      // One sandbox, created with the key and the run's labels, and always killed.
      expect(fake.sandboxes).toHaveLength(1);
      expect(fake.sandboxes[0]!.killed).toBe(true);
      expect(fake.requests[0]).toMatchObject({
        apiKey: 'e2b_test_key',
        metadata: { app: 'osiris', pipeline: name },
      });
      // The planted secret is in no file: not in the run session, not anywhere in the sandbox.
      expect(await filesContaining(join(remoteDir, '.osiris'), PARITY_SECRET)).toEqual([]);
      expect(await filesContaining(fake.sandboxes[0]!.root, PARITY_SECRET)).toEqual([]);
    });
  }
});
