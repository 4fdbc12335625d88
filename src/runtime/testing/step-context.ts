import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConnection } from '../../spec/connection.js';
import type { DataPlane, StepContext } from '../../spec/driver.js';

export interface RecordedEvent {
  name: string;
  fields: Record<string, unknown>;
}

export interface RecordedMetric {
  name: string;
  value: number;
  unit?: string;
  tags?: Record<string, string>;
}

/** Everything a driver reported through its context, in order, for assertions. */
export interface StepRecording {
  events: RecordedEvent[];
  /** `log.debug` and `log.warn` calls: `{ level, message, fields }`. */
  logs: { level: 'debug' | 'warn'; message: string; fields: Record<string, unknown> }[];
  metrics: RecordedMetric[];
  artifacts: { path: string; bytes: number }[];
  /** Every `progress(rows)` value. */
  progress: number[];
  /** Every row-count estimate a `progress(rows, { totalRows })` call passed. */
  totalRows: number[];
}

export interface TestStepContextOptions {
  projectDir: string;
  stepId: string;
  dataPlane: DataPlane;
  connection?: ResolvedConnection;
  signal?: AbortSignal;
  runId?: string;
  /** Defaults to `<projectDir>/.osiris-test/artifacts/<stepId>`, created on first use. */
  artifactsDir?: string;
  /** Called after each `progress(rows)`, e.g. to abort a step part-way through in a test. */
  onProgress?: (rows: number) => void;
}

export type TestStepContext = StepContext & { recorded: StepRecording };

/**
 * A real StepContext for driver tests: no runner, no run session, everything the driver reports
 * kept in `recorded`. Use it with a real data plane from `createDataPlane`.
 */
export function createTestStepContext(options: TestStepContextOptions): TestStepContext {
  const recorded: StepRecording = {
    events: [],
    logs: [],
    metrics: [],
    artifacts: [],
    progress: [],
    totalRows: [],
  };
  const artifactsDir =
    options.artifactsDir ?? join(options.projectDir, '.osiris-test', 'artifacts', options.stepId);
  let artifactsDirReady = false;
  const context: TestStepContext = {
    runId: options.runId ?? 'run_test',
    stepId: options.stepId,
    projectDir: options.projectDir,
    get artifactsDir() {
      if (!artifactsDirReady) {
        mkdirSync(artifactsDir, { recursive: true });
        artifactsDirReady = true;
      }
      return artifactsDir;
    },
    signal: options.signal ?? new AbortController().signal,
    dataPlane: options.dataPlane,
    log: {
      event: (name, fields = {}) => recorded.events.push({ name, fields }),
      debug: (message, fields = {}) => recorded.logs.push({ level: 'debug', message, fields }),
      warn: (message, fields = {}) => recorded.logs.push({ level: 'warn', message, fields }),
    },
    metric: (name, value, metricOptions = {}) => {
      recorded.metrics.push({
        name,
        value,
        ...(metricOptions.unit === undefined ? {} : { unit: metricOptions.unit }),
        ...(metricOptions.tags === undefined ? {} : { tags: metricOptions.tags }),
      });
    },
    progress: (rows, estimate) => {
      recorded.progress.push(rows);
      if (estimate?.totalRows !== undefined) recorded.totalRows.push(estimate.totalRows);
      options.onProgress?.(rows);
    },
    artifact: (path, bytes) => recorded.artifacts.push({ path, bytes }),
    recorded,
  };
  if (options.connection) context.connection = options.connection;
  return context;
}
