import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedConnection } from '../../spec/connection.js';
import type { Driver, DriverResult, StepInput } from '../../spec/driver.js';
import { createDataPlane, type RunDataPlane } from '../data-plane/index.js';
import { createTestStepContext, type TestStepContext } from './step-context.js';

export interface DriverHarness {
  /** A fresh temp folder standing in for the project folder. */
  projectDir: string;
  dataPlane: RunDataPlane;
  /** A recording step context over the data plane, for a driver called by hand. */
  context(stepId: string, options?: HarnessContextOptions): TestStepContext;
  /** Run one step the way the runner would, with a recording context. */
  run(driver: Driver, step: HarnessStep): Promise<{ result: DriverResult; ctx: TestStepContext }>;
  /** Close the data plane and delete the project folder. */
  close(): Promise<void>;
}

export interface HarnessContextOptions {
  connection?: ResolvedConnection;
  signal?: AbortSignal;
  onProgress?: (rows: number) => void;
}

export interface HarnessStep {
  stepId: string;
  config: Record<string, unknown>;
  /** Upstream step ids; their tables are `tableFor(id)`. */
  needs?: string[];
  connection?: ResolvedConnection;
  signal?: AbortSignal;
  onProgress?: (rows: number) => void;
}

/**
 * The one harness for driver tests, whatever the family: a temp project folder, a real data plane
 * confined to it (as in a real run), and recording step contexts over it.
 */
export async function createDriverHarness(
  options: { memoryLimit?: string; maxRowBytes?: number } = {},
): Promise<DriverHarness> {
  const projectDir = await mkdtemp(join(tmpdir(), 'osiris-driver-test-'));
  const dataPlane = await createDataPlane({
    directory: join(projectDir, '.osiris-work'),
    threads: 2,
    allowedDirectories: [projectDir],
    ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}),
    ...(options.maxRowBytes ? { maxRowBytes: options.maxRowBytes } : {}),
  });
  const context = (stepId: string, options: HarnessContextOptions = {}) =>
    createTestStepContext({
      projectDir,
      stepId,
      dataPlane,
      ...(options.connection ? { connection: options.connection } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  return {
    projectDir,
    dataPlane,
    context,
    async run(driver, step) {
      const ctx = context(step.stepId, step);
      const inputs: StepInput[] = (step.needs ?? []).map((need) => ({
        stepId: need,
        table: dataPlane.tableFor(need),
      }));
      const result = await driver.run({ stepId: step.stepId, config: step.config, inputs, ctx });
      return { result, ctx };
    },
    async close() {
      await dataPlane.close();
      await rm(projectDir, { recursive: true, force: true });
    },
  };
}
