import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/** What bounds the run's DuckDB: its buffer pool and its worker threads. */
export interface DataPlaneLimits {
  /** DuckDB `memory_limit`, e.g. `256MB`. */
  memoryLimit: string;
  threads: number;
  /** Where each came from, for the run's debug event. */
  source: { memory_limit: LimitSource; threads: LimitSource };
}

type LimitSource = 'default' | 'osiris.yaml' | 'OSIRIS_MEMORY_LIMIT' | 'OSIRIS_THREADS';

const MEMORY_PATTERN = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/**
 * DuckDB's own default (80 % of RAM) lets a run keep every table it moves in memory, so a run's
 * footprint grows with the data. A bounded buffer pool makes DuckDB spill to the run folder
 * instead; 128 MB per thread (256 MB at least) measured as fast as unbounded on the driver bench.
 */
export function defaultMemoryLimit(threads = availableParallelism()): string {
  return `${Math.max(256, 128 * threads)}MB`;
}

/** Threads: one per core, DuckDB's own default. */
export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * The data plane's limits. Precedence: `OSIRIS_MEMORY_LIMIT` / `OSIRIS_THREADS` > `data_plane:
 * { memory_limit, threads }` in osiris.yaml > defaults. Raise them for heavy transforms (large
 * joins and GROUP BYs spill to disk past the limit, and get slower, rather than fail).
 */
export function resolveDataPlaneLimits(options: {
  projectDir?: string;
  env?: Record<string, string | undefined>;
}): DataPlaneLimits {
  const env = options.env ?? process.env;
  const section = options.projectDir ? readDataPlaneSection(options.projectDir) : {};
  const threadsFromEnv = nonEmpty(env.OSIRIS_THREADS);
  const threads = threadsFromEnv
    ? parseThreads(threadsFromEnv, 'OSIRIS_THREADS')
    : section.threads !== undefined
      ? parseThreads(String(section.threads), 'data_plane.threads in osiris.yaml')
      : defaultThreads();
  const memoryFromEnv = nonEmpty(env.OSIRIS_MEMORY_LIMIT);
  const memoryLimit = memoryFromEnv
    ? parseMemory(memoryFromEnv, 'OSIRIS_MEMORY_LIMIT')
    : section.memory_limit !== undefined
      ? parseMemory(String(section.memory_limit), 'data_plane.memory_limit in osiris.yaml')
      : defaultMemoryLimit(threads);
  return {
    memoryLimit,
    threads,
    source: {
      memory_limit: memoryFromEnv
        ? 'OSIRIS_MEMORY_LIMIT'
        : section.memory_limit !== undefined
          ? 'osiris.yaml'
          : 'default',
      threads: threadsFromEnv ? 'OSIRIS_THREADS' : section.threads !== undefined ? 'osiris.yaml' : 'default',
    },
  };
}

function readDataPlaneSection(projectDir: string): { memory_limit?: unknown; threads?: unknown } {
  const file = join(projectDir, 'osiris.yaml');
  if (!existsSync(file)) return {};
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    return {}; // other commands report a broken osiris.yaml; a run does not depend on it
  }
  const section =
    typeof document === 'object' && document !== null
      ? (document as { data_plane?: unknown }).data_plane
      : undefined;
  return typeof section === 'object' && section !== null
    ? (section as { memory_limit?: unknown; threads?: unknown })
    : {};
}

function parseMemory(value: string, where: string): string {
  const text = value.trim();
  if (!MEMORY_PATTERN.test(text)) {
    throw new OsirisError(ErrorCodes.USAGE, `${where}: "${text}" is not a memory size`, {
      hint: 'write a number and a unit, e.g. 512MB or 2GB',
    });
  }
  return text.replace(/\s+/g, '');
}

function parseThreads(value: string, where: string): number {
  const threads = Number(value.trim());
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new OsirisError(ErrorCodes.USAGE, `${where}: "${value}" is not a thread count`, {
      hint: 'a whole number from 1 to 256',
    });
  }
  return threads;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
