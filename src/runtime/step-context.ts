import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConnection } from '../spec/connection.js';
import type { DataPlane, OutputStream, StepContext } from '../spec/driver.js';
import type { IncrementalWindow } from '../spec/incremental.js';
import type { EngineSink } from './engine-types.js';

export interface StepContextOptions {
  runId: string;
  stepId: string;
  projectDir: string;
  artifactsRoot: string;
  signal: AbortSignal;
  dataPlane: DataPlane;
  sink: EngineSink;
  connection?: ResolvedConnection;
  /** Rows the step is expected to move when the runtime knows it (a writer's input rows). */
  expectedRows?: number;
  /** The window of an incremental extractor. */
  incremental?: IncrementalWindow;
  /** A writer's commit gate under `on_failure: rollback_all` (see StepContext.commitTogether). */
  commitTogether?: { ready(): Promise<void> };
  /** The producer's end of a streamed edge (see StepContext.outputStream). */
  outputStream?: OutputStream;
}

/** The context a driver sees: everything it reports flows to the engine's sink, tagged with its step. */
export function createStepContext(options: StepContextOptions): StepContext {
  const { stepId, sink } = options;
  const artifactsDir = join(options.artifactsRoot, stepId);
  let artifactsDirReady = false;
  const context: StepContext = {
    runId: options.runId,
    stepId,
    projectDir: options.projectDir,
    get artifactsDir() {
      if (!artifactsDirReady) {
        mkdirSync(artifactsDir, { recursive: true });
        artifactsDirReady = true;
      }
      return artifactsDir;
    },
    signal: options.signal,
    dataPlane: options.dataPlane,
    log: {
      event: (name, fields = {}) => sink.event(name, { step_id: stepId, ...fields }),
      debug: (message, fields = {}) => sink.event('debug', { step_id: stepId, message, ...fields }),
      warn: (message, fields = {}) => sink.event('warning', { step_id: stepId, message, ...fields }),
    },
    metric: (name, value, metricOptions = {}) =>
      sink.metric(name, value, metricOptions.unit ?? 'count', stepId, metricOptions.tags),
    progress: (rows, estimate) => {
      const total = estimate?.totalRows ?? options.expectedRows;
      sink.progress?.(stepId, rows, ...(total !== undefined && Number.isFinite(total) ? [total] : []));
    },
    artifact: (path, bytes) => {
      sink.event('artifact_created', {
        step_id: stepId,
        path: relativeArtifactPath(options.artifactsRoot, path),
        bytes,
      });
    },
  };
  if (options.connection) context.connection = options.connection;
  if (options.incremental) context.incremental = options.incremental;
  if (options.commitTogether) context.commitTogether = options.commitTogether;
  if (options.outputStream) context.outputStream = options.outputStream;
  return context;
}

/** Artifact paths in events are relative to the session's artifacts/ folder: identical on every adapter. */
function relativeArtifactPath(artifactsRoot: string, path: string): string {
  const prefix = artifactsRoot.endsWith('/') ? artifactsRoot : `${artifactsRoot}/`;
  return path.startsWith(prefix) ? `artifacts/${path.slice(prefix.length)}` : path;
}
