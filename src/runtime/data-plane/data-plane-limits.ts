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
  /** Longest row (as CSV text) an extractor streams into DuckDB; its read buffer holds two. */
  maxRowBytes: number;
  /** Where each came from, for the run's debug event. */
  source: { memory_limit: LimitSource; threads: LimitSource; max_row_size: LimitSource };
}

type LimitSource =
  | 'default'
  | 'osiris.yaml'
  | 'OSIRIS_MEMORY_LIMIT'
  | 'OSIRIS_THREADS'
  | 'OSIRIS_MAX_ROW_SIZE';

/**
 * 4 MiB: DuckDB's CSV reader keeps a few buffers of twice this size resident, so it sets much of
 * an extract's footprint. Measured streaming 1,000,000 bench rows from a pipe to Parquet: 32 MiB
 * buffers (16 MiB rows) peaked at 277–304 MB RSS in 1.16–1.43 s, 8 MiB buffers (4 MiB rows) at
 * 241–248 MB in 1.03–1.08 s, 4 MiB buffers at 212–215 MB in 0.91–0.98 s; 2 MiB rows would be
 * DuckDB's own default, too short for large documents. Longer rows need `max_row_size` raised.
 */
export const DEFAULT_MAX_ROW_BYTES = 4 * 1024 * 1024;

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
  const rowFromEnv = nonEmpty(env.OSIRIS_MAX_ROW_SIZE);
  const maxRowBytes = rowFromEnv
    ? parseRowSize(rowFromEnv, 'OSIRIS_MAX_ROW_SIZE')
    : section.max_row_size !== undefined
      ? parseRowSize(String(section.max_row_size), 'data_plane.max_row_size in osiris.yaml')
      : DEFAULT_MAX_ROW_BYTES;
  return {
    memoryLimit,
    threads,
    maxRowBytes,
    source: {
      memory_limit: memoryFromEnv
        ? 'OSIRIS_MEMORY_LIMIT'
        : section.memory_limit !== undefined
          ? 'osiris.yaml'
          : 'default',
      threads: threadsFromEnv ? 'OSIRIS_THREADS' : section.threads !== undefined ? 'osiris.yaml' : 'default',
      max_row_size: rowFromEnv
        ? 'OSIRIS_MAX_ROW_SIZE'
        : section.max_row_size !== undefined
          ? 'osiris.yaml'
          : 'default',
    },
  };
}

interface DataPlaneSection {
  memory_limit?: unknown;
  threads?: unknown;
  max_row_size?: unknown;
}

function readDataPlaneSection(projectDir: string): DataPlaneSection {
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
  return typeof section === 'object' && section !== null ? (section as DataPlaneSection) : {};
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

const UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** A row size in bytes, from 64 KiB (a few wide rows) to 1 GiB (DuckDB's own ceiling is near). */
function parseRowSize(value: string, where: string): number {
  const text = value.trim().replace(/\s+/g, '');
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]+)$/.exec(text);
  const perUnit = match ? UNIT_BYTES[match[2]!.toLowerCase()] : undefined;
  const bytes = perUnit === undefined ? Number.NaN : Math.round(Number(match![1]) * perUnit);
  if (!(bytes >= 64 * 1024 && bytes <= 1024 ** 3)) {
    throw new OsirisError(ErrorCodes.USAGE, `${where}: "${text}" is not a row size Osiris can use`, {
      hint: 'a size from 64KiB to 1GiB, e.g. 16MiB for rows holding large documents',
    });
  }
  return bytes;
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
