import { stringify } from 'yaml';
import { ErrorCodes, OsirisError } from '../spec/errors.js';

/** Families whose extractor and writer take `connection`, `schema` and `table`. */
const DATABASE_FAMILIES = new Set(['mysql', 'postgres', 'supabase']);
/** Families whose extractor reads a table of an embedded database file. */
const EMBEDDED_FAMILIES = new Set(['duckdb', 'sqlite']);
const FILE_WRITERS: Record<string, { component: string; config?: Record<string, unknown> }> = {
  csv: { component: 'filesystem.csv_writer' },
  parquet: { component: 'filesystem.parquet_writer' },
  jsonl: { component: 'filesystem.json_writer', config: { format: 'jsonl' } },
  json: { component: 'filesystem.json_writer', config: { format: 'array' } },
};
const WRITE_MODES = ['append', 'replace', 'upsert'];

export interface CopyOptions {
  mode?: string;
  primaryKey?: string[];
  /** Pipeline name; derived from source and target when absent. */
  name?: string;
}

export interface CopyPipeline {
  name: string;
  /** The OML document, ready to write to `pipelines/<name>.yaml`. */
  yaml: string;
}

interface TableRef {
  kind: 'table';
  connection: string;
  family: string;
  schema?: string;
  table: string;
}

interface FileRef {
  kind: 'file';
  path: string;
  extension: string;
}

/**
 * The OML of a one-step copy, Sling-style: SOURCE and TARGET are `@family.alias.table`,
 * `@family.alias.schema.table` or a file path (`.csv` to read; `.csv`, `.parquet`, `.json`,
 * `.jsonl` to write). Everything else about the pipeline is the components' defaults.
 */
export function buildCopyPipeline(source: string, target: string, options: CopyOptions = {}): CopyPipeline {
  const from = parseRef(source, 'SOURCE');
  const to = parseRef(target, 'TARGET');
  const extract = extractStep(from, source);
  const write = writeStep(to, target, options);
  const name = options.name ?? pipelineName(from, to);
  const document = {
    oml_version: '0.1.0',
    name,
    description: `osiris copy ${source} ${target}${options.mode ? ` --mode ${options.mode}` : ''}`,
    steps: [
      { id: 'extract', component: extract.component, mode: 'read', config: extract.config },
      { id: 'write', component: write.component, mode: 'write', needs: ['extract'], config: write.config },
    ],
  };
  return {
    name,
    yaml: `# Written by \`osiris copy\`: keep it, edit it, run it with \`osiris run pipelines/${name}.yaml\`.\n${stringify(document, { lineWidth: 0 })}`,
  };
}

function parseRef(text: string, role: 'SOURCE' | 'TARGET'): TableRef | FileRef {
  if (text.startsWith('@')) {
    const parts = text.slice(1).split('.');
    if (parts.length < 3 || parts.length > 4 || parts.some((part) => part === '')) {
      throw usage(
        `${role} ${text} does not name a table.`,
        `Write @family.alias.table or @family.alias.schema.table, e.g. @mysql.shop.orders or @postgres.wh.public.events.`,
      );
    }
    const [family, alias, ...rest] = parts as [string, string, ...string[]];
    const table = rest.at(-1)!;
    return {
      kind: 'table',
      connection: `@${family}.${alias}`,
      family,
      ...(rest.length === 2 ? { schema: rest[0]! } : {}),
      table,
    };
  }
  const extension = /\.([A-Za-z0-9]+)$/.exec(text)?.[1]?.toLowerCase() ?? '';
  return { kind: 'file', path: text, extension };
}

function extractStep(
  ref: TableRef | FileRef,
  text: string,
): { component: string; config: Record<string, unknown> } {
  if (ref.kind === 'file') {
    if (ref.extension !== 'csv') {
      throw usage(
        `Cannot read ${text}: only CSV files can be a copy source.`,
        'Use a .csv file or a table such as @mysql.shop.orders.',
      );
    }
    return { component: 'filesystem.csv_extractor', config: { path: ref.path } };
  }
  if (!DATABASE_FAMILIES.has(ref.family) && !EMBEDDED_FAMILIES.has(ref.family))
    throw unknownFamily(ref.family);
  return {
    component: `${ref.family}.extractor`,
    config: {
      connection: ref.connection,
      ...(ref.schema && DATABASE_FAMILIES.has(ref.family) ? { schema: ref.schema } : {}),
      table: ref.schema && !DATABASE_FAMILIES.has(ref.family) ? `${ref.schema}.${ref.table}` : ref.table,
    },
  };
}

function writeStep(
  ref: TableRef | FileRef,
  text: string,
  options: CopyOptions,
): { component: string; config: Record<string, unknown> } {
  if (options.mode !== undefined && !WRITE_MODES.includes(options.mode)) {
    throw usage(`Unknown --mode '${options.mode}'.`, `Use one of: ${WRITE_MODES.join(', ')}.`);
  }
  if (ref.kind === 'file') {
    const writer = FILE_WRITERS[ref.extension];
    if (!writer) {
      throw usage(
        `Cannot write ${text}: the file type decides the format.`,
        `End the path with ${Object.keys(FILE_WRITERS)
          .map((e) => `.${e}`)
          .join(', ')}, or give a table such as @postgres.wh.public.events.`,
      );
    }
    if (options.mode || options.primaryKey) {
      throw usage(
        '--mode and --primary-key apply to database tables, not files.',
        'A file is written whole each run.',
      );
    }
    return { component: writer.component, config: { path: ref.path, ...writer.config } };
  }
  if (!DATABASE_FAMILIES.has(ref.family)) {
    throw usage(
      `Cannot write to @${ref.family}: there is no ${ref.family}.writer.`,
      'Write to mysql, postgres or supabase tables, or to a file.',
    );
  }
  const mode = options.mode ?? 'append';
  if ((mode === 'upsert' || mode === 'replace') && !options.primaryKey?.length) {
    throw usage(`--mode ${mode} needs --primary-key.`, `e.g. --mode ${mode} --primary-key id`);
  }
  const key = options.primaryKey;
  return {
    component: `${ref.family}.writer`,
    config: {
      connection: ref.connection,
      ...(ref.schema ? { schema: ref.schema } : {}),
      table: ref.table,
      write_mode: mode,
      ...(key?.length ? { primary_key: key.length === 1 ? key[0] : key } : {}),
    },
  };
}

function pipelineName(from: TableRef | FileRef, to: TableRef | FileRef): string {
  const label = (ref: TableRef | FileRef) =>
    ref.kind === 'table'
      ? `${ref.family}-${ref.table}`
      : (ref.path.split('/').pop() ?? ref.path).replace(/\.[^.]+$/, '');
  const raw = `copy-${label(from)}-to-${label(to)}`;
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

function unknownFamily(family: string): OsirisError {
  return usage(
    `No extractor for @${family}.`,
    'Copy from mysql, postgres, supabase, duckdb or sqlite tables, or a .csv file.',
  );
}

function usage(message: string, hint: string): OsirisError {
  return new OsirisError(ErrorCodes.USAGE, message, { hint });
}
