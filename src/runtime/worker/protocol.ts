import { z } from 'zod';
import { EventNames, MetricNames } from '../../spec/events.js';

/**
 * The proxy worker's wire protocol: JSON Lines over stdio. The parent sends commands on stdin;
 * the worker answers with `response`/`error` (matched by `id`) and streams `event`, `metric`
 * and `progress` messages while a step runs. Both sides validate every line.
 */
const serializedError = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  retryable: z.boolean().optional(),
});

const upstreamOutput = z.object({ stepId: z.string(), table: z.string(), rows: z.number() });

const cursorKind = z.enum(['integer', 'date', 'timestamp', 'timestamptz', 'text']);

/** The window an incremental extractor reads (see IncrementalWindow); the host loaded it from its state. */
const incrementalWindow = z.object({
  cursor: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  kind: cursorKind.optional(),
});

export const workerCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), id: z.number() }),
  z.object({
    type: z.literal('prepare'),
    id: z.number(),
    run_id: z.string(),
    project_dir: z.string(),
    manifest: z.record(z.string(), z.unknown()),
    cfg: z.record(z.string(), z.record(z.string(), z.unknown())),
    /** Write each step's config, schema and (with `samples`) sample into its artifacts folder. */
    artifacts: z.object({ samples: z.boolean() }).optional(),
    /** step id → window of each incremental extractor; the worker never sees the state store. */
    incremental: z.record(z.string(), incrementalWindow).optional(),
  }),
  z.object({
    type: z.literal('exec_step'),
    id: z.number(),
    step_id: z.string(),
    upstream: z.array(upstreamOutput),
  }),
  z.object({ type: z.literal('cancel'), id: z.number() }),
  /** Drop data-plane tables no remaining step needs (see runDag's `release`). */
  z.object({ type: z.literal('drop_tables'), id: z.number(), tables: z.array(z.string()) }),
  z.object({ type: z.literal('cleanup'), id: z.number() }),
]);
export type WorkerCommand = z.infer<typeof workerCommand>;

export const stepOutcome = z.object({
  table: z.string().optional(),
  rows: z.number(),
  error: serializedError.optional(),
  durationMs: z.number(),
  /** An incremental extractor's largest cursor value: the host stores it once the run succeeded. */
  cursor: z.object({ value: z.string(), kind: cursorKind }).optional(),
  /** A streamed edge's consumer that never began because its producer failed first. */
  skippedBecause: z.string().optional(),
});

/** What the worker answers to each command; the parent checks every answer before using it. */
export const workerResponses = {
  ping: z.object({ pong: z.literal(true), pid: z.number(), node: z.string() }),
  /** `settings`: the worker's data-plane limits, for the run's debug event (as a local run emits). */
  prepare: z.object({ ready: z.literal(true), settings: z.record(z.string(), z.string()) }),
  exec_step: stepOutcome,
  cancel: z.object({ cancelled: z.literal(true) }),
  drop_tables: z.object({ dropped: z.number() }),
  cleanup: z.object({ cleaned: z.literal(true) }),
} satisfies Record<WorkerCommand['type'], z.ZodType>;
export type WorkerCommandType = WorkerCommand['type'];
export type WorkerResponse<K extends WorkerCommandType> = z.infer<(typeof workerResponses)[K]>;
/** A command as the parent writes it: the client numbers it. */
export type WorkerRequest = WorkerCommand extends infer C
  ? C extends unknown
    ? Omit<C, 'id'>
    : never
  : never;

export const workerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), name: z.enum(EventNames), fields: z.record(z.string(), z.unknown()) }),
  z.object({
    type: z.literal('metric'),
    name: z.enum(MetricNames),
    value: z.number(),
    unit: z.string(),
    step_id: z.string().optional(),
    tags: z.record(z.string(), z.string()).optional(),
  }),
  z.object({
    type: z.literal('progress'),
    step_id: z.string(),
    rows: z.number(),
    total_rows: z.number().optional(),
  }),
  z.object({ type: z.literal('response'), id: z.number(), result: z.unknown() }),
  z.object({ type: z.literal('error'), id: z.number().optional(), error: serializedError }),
]);
export type WorkerMessage = z.infer<typeof workerMessage>;

/** Environment variable carrying resolved connections into the worker: secrets never touch a file. */
export const WORKER_CONNECTIONS_ENV = 'OSIRIS_WORKER_CONNECTIONS';

export function encodeLine(message: unknown): string {
  return `${JSON.stringify(message, (_key, value) => (typeof value === 'bigint' ? value.toString() : value))}\n`;
}
