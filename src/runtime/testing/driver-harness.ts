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
  /** Run one step the way the runner would, with a recording context. */
  run(driver: Driver, step: HarnessStep): Promise<{ result: DriverResult; ctx: TestStepContext }>;
  /** Close the data plane and delete the project folder. */
  close(): Promise<void>;
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

/** A temp project folder and a real data plane for driver tests. */
export async function createDriverHarness(): Promise<DriverHarness> {
  const projectDir = await mkdtemp(join(tmpdir(), 'osiris-driver-test-'));
  // SQL confined to the project folder, as in a real run.
  const dataPlane = await createDataPlane({
    directory: join(projectDir, '.osiris-work'),
    threads: 2,
    allowedDirectories: [projectDir],
  });
  return {
    projectDir,
    dataPlane,
    async run(driver, step) {
      const ctx = createTestStepContext({
        projectDir,
        stepId: step.stepId,
        dataPlane,
        ...(step.connection ? { connection: step.connection } : {}),
        ...(step.signal ? { signal: step.signal } : {}),
        ...(step.onProgress ? { onProgress: step.onProgress } : {}),
      });
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
