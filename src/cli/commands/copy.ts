import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { action } from '../output.js';

interface CopyCommandOptions {
  mode?: string;
  primaryKey?: string;
  name?: string;
  force?: boolean;
  json?: boolean;
  report: boolean;
  samples: boolean;
}

export function registerCopy(program: Command): void {
  program
    .command('copy')
    .description(
      'Copy a table or file to a table or file in one line; the pipeline it runs is kept in pipelines/.',
    )
    .argument('<source>', '@family.alias.table, @family.alias.schema.table, or a .csv file')
    .argument('<target>', '@family.alias.[schema.]table, or a .csv, .parquet, .json or .jsonl file')
    .option('--mode <mode>', 'how a table target is written: append | replace | upsert (default append)')
    .option('--primary-key <columns>', 'key column(s) for replace/upsert, comma-separated')
    .option('--name <name>', 'pipeline name (default: copy-<source>-to-<target>)')
    .option('--force', 'overwrite pipelines/<name>.yaml when it exists with other content')
    .option('--json', 'print the run summary as JSON')
    .option('--no-report', 'do not write the HTML report')
    .option('--no-samples', "keep rows out of the run's artifacts")
    .addHelpText(
      'after',
      `
The OML it generates is written to pipelines/<name>.yaml, then compiled and run like
\`osiris run pipelines/<name>.yaml\`: keep it, edit it, schedule it.

Examples:
  $ osiris copy @mysql.shop.orders output/orders.parquet
  $ osiris copy @postgres.wh.public.events @mysql.shop.events --mode upsert --primary-key id
  $ osiris copy data/customers.csv @postgres.wh.public.customers --mode replace --primary-key id`,
    )
    .action(
      action(async (source: string, target: string, options: CopyCommandOptions) =>
        copyCommand(source, target, options),
      ),
    );
}

async function copyCommand(source: string, target: string, options: CopyCommandOptions): Promise<number> {
  const { buildCopyPipeline } = await import('../../oml/copy-pipeline.js');
  const { findProjectDir } = await import('../../project/find-project-dir.js');
  const projectDir = findProjectDir(process.cwd(), process.env);
  // File paths in the pipeline are relative to the project, wherever the user typed them from.
  const inProject = (ref: string) =>
    ref.startsWith('@') ? ref : relative(projectDir, resolve(process.cwd(), ref)) || ref;
  const primaryKey = options.primaryKey
    ?.split(',')
    .map((column) => column.trim())
    .filter(Boolean);
  const pipeline = buildCopyPipeline(inProject(source), inProject(target), {
    ...(options.mode ? { mode: options.mode } : {}),
    ...(primaryKey?.length ? { primaryKey } : {}),
    ...(options.name ? { name: options.name } : {}),
  });
  const file = join(projectDir, 'pipelines', `${pipeline.name}.yaml`);
  if (existsSync(file) && readFileSync(file, 'utf8') !== pipeline.yaml && !options.force) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${relative(process.cwd(), file)} already exists with other content.`,
      {
        hint: `Run it as it is (osiris run ${relative(process.cwd(), file)}), pick another --name, or pass --force to overwrite it.`,
      },
    );
  }
  await mkdir(join(projectDir, 'pipelines'), { recursive: true });
  await writeFile(file, pipeline.yaml);
  const shown = relative(process.cwd(), file);
  if (!options.json) process.stderr.write(`${pc.dim(`pipeline written to ${shown}`)}\n`);
  const { runCommand } = await import('./run.js');
  return runCommand(shown, {
    param: [],
    adapter: 'local',
    report: options.report,
    samples: options.samples,
    select: [],
    ...(options.json ? { json: true } : {}),
  });
}
