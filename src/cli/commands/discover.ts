import type { Command } from 'commander';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { action, printResult } from '../output.js';

interface DiscoverCommandOptions {
  tables?: string;
  samples: string;
  search?: string;
  json?: boolean;
  refresh?: boolean;
  path?: string;
  records?: string;
}

export function registerDiscover(program: Command): void {
  program
    .command('discover')
    .description(
      'Profile a database read-only: tables, columns, keys, row estimates and sample rows (cached for an hour).',
    )
    .argument('<ref>', 'connection to discover, e.g. @mysql.movies')
    .option('--tables <names>', 'only these tables, comma-separated (name or schema.name)')
    .option('--samples <n>', 'sample rows per table: 0 for none, at most 1000', '10')
    .option(
      '--search <text>',
      'find a value in every text column, with the rows joined to it by foreign keys',
    )
    .option('--json', 'print the profile (or the search result) as JSON')
    .option('--refresh', 'ignore the cached profile and discover again')
    .option('--path <path>', 'REST APIs (@rest.alias): the path to fetch one page of, e.g. /orders')
    .option(
      '--records <jsonpath>',
      'REST APIs: JSON path of the records in the response (found when omitted)',
    )
    .addHelpText(
      'after',
      `
Everything runs read-only (a read-only transaction or a read-only file, a statement timeout and a
row cap). Profiles are cached in .osiris/cache/discovery/ (readable by you only).

Examples:
  $ osiris discover @mysql.movies
  $ osiris discover @postgres.shop --tables orders,customers --samples 3
  $ osiris discover @mysql.movies --search "Ava DuVernay"
  $ osiris discover @duckdb.movies --json --refresh
  $ osiris discover @rest.shop --path /orders      one page of an API: record schema, samples, pagination`,
    )
    .action(action(async (ref: string, options: DiscoverCommandOptions) => discover(ref, options)));
}

async function discover(ref: string, options: DiscoverCommandOptions): Promise<number> {
  const samples = parseSamples(options.samples);
  const tables = options.tables
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const { findProjectDir } = await import('../../project/find-project-dir.js');
  const discovery = await import('../../composition/builtins.js');
  const { formatProfile, formatSearchResult } = await import('../../discovery/index.js');
  const projectDir = findProjectDir(process.cwd(), process.env);
  const scrub = await outputScrubber(projectDir);
  const { parseConnectionRef } = await import('../../connections/index.js');
  const { family } = parseConnectionRef(ref);
  if (options.path !== undefined || discovery.discoveryKind(family) === 'endpoint')
    return discoverApi(ref, projectDir, samples, options, scrub);
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    const common = {
      projectDir,
      ref,
      env: process.env,
      signal: controller.signal,
      ...(tables && tables.length > 0 ? { tables } : {}),
      ...(options.refresh ? { refresh: true } : {}),
    };
    if (options.search !== undefined) {
      const result = await discovery.searchValues({ ...common, text: options.search });
      if (options.json) printResult(scrub.value(result) as object);
      else process.stdout.write(scrub.text(formatSearchResult(result)));
      return 0;
    }
    const profile = await discovery.discoverDatabase({ ...common, samples });
    if (options.json) printResult(scrub.value(profile) as object);
    else process.stdout.write(scrub.text(formatProfile(profile)));
    return 0;
  } finally {
    process.off('SIGINT', interrupt);
  }
}

/** An API has no tables: fetch one page of `--path` and show its records. Never cached. */
async function discoverApi(
  ref: string,
  projectDir: string,
  samples: number,
  options: DiscoverCommandOptions,
  scrub: { text(text: string): string; value(value: unknown): unknown },
): Promise<number> {
  const { discoverEndpoint } = await import('../../composition/builtins.js');
  const { formatEndpointProfile } = await import('../../discovery/index.js');
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    const profile = await discoverEndpoint({
      projectDir,
      ref,
      env: process.env,
      path: options.path ?? '',
      ...(options.records ? { records: options.records } : {}),
      samples,
      signal: controller.signal,
    });
    if (options.json) printResult(scrub.value(profile) as object);
    else process.stdout.write(scrub.text(formatEndpointProfile(profile)));
    return 0;
  } finally {
    process.off('SIGINT', interrupt);
  }
}

function parseSamples(text: string): number {
  if (!/^\d+$/.test(text.trim())) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `--samples must be a whole number from 0 to 1000, not "${text}"`,
      {
        hint: 'e.g. --samples 0 for no sample rows, --samples 100 for more',
      },
    );
  }
  return Number(text.trim());
}

/**
 * A last line of defence for what this command prints: every secret the project's connections
 * resolve to is replaced, even if it were (wrongly) part of a value.
 */
async function outputScrubber(
  projectDir: string,
): Promise<{ text(text: string): string; value(value: unknown): unknown }> {
  const connections = await import('../../connections/index.js');
  const { projectSpecs } = await import('../../composition/project-specs.js');
  const { Redactor } = await import('../../util/redactor.js');
  const config = connections.loadConnections({ cwd: projectDir, env: process.env });
  const redactor = new Redactor(
    connections.connectionSecretValues(
      config,
      connections.secretNamesFromSpecs(projectSpecs(projectDir).specs),
    ),
  );
  return { text: (text) => redactor.text(text), value: (value) => redactor.strings(value) };
}
