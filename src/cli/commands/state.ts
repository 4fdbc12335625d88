import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { CursorState, StateStore } from '../../runtime/state/state-store.js';
import { ErrorCodes, ExitCodes, OsirisError } from '../../spec/errors.js';
import { action, printJson } from '../output.js';

interface JsonOption {
  json?: boolean;
}

export function registerState(program: Command): void {
  const state = program
    .command('state')
    .description(
      'Show and change the incremental state: the last cursor value each incremental extractor stored (.osiris/state.db).',
    )
    .addHelpText(
      'after',
      `
An extractor with \`incremental: { cursor: updated_at }\` reads only rows with a cursor at or after
the last value a successful run stored (minus \`lag\`). The value is stored only after every writer
downstream of the extractor succeeded; a failed, cancelled or killed run leaves it unchanged, so
the next run reads the same window again.

PIPELINE is the pipeline's name (\`name:\` in its OML) or its OML file.

Examples:
  $ osiris state list
  $ osiris state show orders-daily
  $ osiris state reset orders-daily --step extract-orders
  $ osiris state set orders-daily --step extract-orders --value "2024-06-01 00:00:00" --yes
  $ osiris run pipelines/orders-daily.yaml --full-refresh     # read everything once, then store`,
    );

  state
    .command('list')
    .description('List every stored cursor: pipeline, step, cursor column, value, when and by which run.')
    .option('--json', 'print the cursors as JSON')
    .action(action(async (options: JsonOption) => listCommand(options)));

  state
    .command('show')
    .description("Show a pipeline's stored cursors and the windows its recent runs read.")
    .argument('<pipeline>', 'pipeline name or OML file')
    .option('--json', 'print as JSON')
    .action(action(async (pipeline: string, options: JsonOption) => showCommand(pipeline, options)));

  state
    .command('reset')
    .description(
      'Forget the stored cursors of a pipeline (or one step): the next run starts from initial_value, or recovers from its target.',
    )
    .argument('<pipeline>', 'pipeline name or OML file')
    .option('--step <id>', 'only this step')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (pipeline: string, options: JsonOption & { step?: string }) =>
        resetCommand(pipeline, options),
      ),
    );

  state
    .command('set')
    .description("Set a step's cursor by hand, e.g. to re-read from a date; asks first unless --yes.")
    .argument('<pipeline>', 'pipeline name or OML file')
    .requiredOption('--step <id>', 'the incremental extractor step')
    .requiredOption('--value <value>', 'the new last value (e.g. 2024-06-01 00:00:00, or an id)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (pipeline: string, options: JsonOption & { step: string; value: string; yes?: boolean }) =>
        setCommand(pipeline, options),
      ),
    );
}

async function openStore(create: boolean): Promise<StateStore | undefined> {
  const { findProjectDir } = await import('../../project/find-project-dir.js');
  const { StateStore, stateDbPath } = await import('../../runtime/state/state-store.js');
  const dir = findProjectDir(process.cwd(), process.env);
  return StateStore.open(stateDbPath(dir), { create });
}

/** A pipeline name, or the `name:` of an OML file given instead. */
function pipelineName(argument: string): string {
  if (!/\.ya?ml$/i.test(argument)) return argument;
  const file = resolve(process.cwd(), argument);
  if (!existsSync(file)) {
    throw new OsirisError(ErrorCodes.FILE_NOT_FOUND, `No such file: ${argument}`, {
      hint: 'Give the pipeline name (`osiris state list` shows them) or an existing OML file.',
    });
  }
  const match = /^name:\s*["']?([A-Za-z0-9_-]+)["']?\s*$/m.exec(readFileSync(file, 'utf8'));
  if (!match?.[1]) {
    throw new OsirisError(ErrorCodes.USAGE, `${argument} has no \`name:\``, {
      hint: 'Give the pipeline name instead.',
    });
  }
  return match[1];
}

async function listCommand(options: JsonOption): Promise<number> {
  const store = await openStore(false);
  const rows = store?.list() ?? [];
  store?.close();
  if (options.json) {
    printJson({ ok: true, cursors: rows.map(shape) });
    return ExitCodes.OK;
  }
  if (rows.length === 0) {
    process.stdout.write(
      'No incremental state stored yet (no pipeline with `incremental:` has succeeded).\n',
    );
    return ExitCodes.OK;
  }
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  return ExitCodes.OK;
}

async function showCommand(argument: string, options: JsonOption): Promise<number> {
  const pipeline = pipelineName(argument);
  const store = await openStore(false);
  const rows = store?.list(pipeline) ?? [];
  const history = store?.history(pipeline) ?? [];
  store?.close();
  if (options.json) {
    printJson({ ok: true, pipeline, cursors: rows.map(shape), windows: history });
    return ExitCodes.OK;
  }
  if (rows.length === 0) {
    process.stdout.write(
      `No incremental state for ${pipeline}: its next run reads from initial_value (or everything).\n`,
    );
    return ExitCodes.OK;
  }
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  if (history.length > 0) {
    process.stdout.write(`\n${pc.bold('recent windows')} (newest first)\n`);
    for (const window of history) {
      process.stdout.write(
        `  ${window.committed_at}  ${window.step_id}  ${window.from_value ?? '(start)'} → ${window.to_value ?? '?'}  ${window.rows} rows  ${pc.dim(window.run_id)}\n`,
      );
    }
  }
  return ExitCodes.OK;
}

async function resetCommand(argument: string, options: JsonOption & { step?: string }): Promise<number> {
  const pipeline = pipelineName(argument);
  const store = await openStore(false);
  const removed = store?.reset(pipeline, options.step) ?? 0;
  store?.close();
  if (options.json) {
    printJson({ ok: true, pipeline, ...(options.step ? { step: options.step } : {}), removed });
    return ExitCodes.OK;
  }
  const what = options.step ? `step ${options.step} of ${pipeline}` : pipeline;
  process.stdout.write(
    removed === 0
      ? `Nothing to reset: ${what} has no stored cursor.\n`
      : `${pc.green('✔')} forgot ${removed} cursor${removed === 1 ? '' : 's'} of ${what}; the next run starts from initial_value (or recovers from its target).\n`,
  );
  return ExitCodes.OK;
}

async function setCommand(
  argument: string,
  options: JsonOption & { step: string; value: string; yes?: boolean },
): Promise<number> {
  const pipeline = pipelineName(argument);
  const value = options.value.trim();
  if (value === '') throw new OsirisError(ErrorCodes.USAGE, '--value must not be empty.');
  const { kindOfLiteral } = await import('../../util/cursor-values.js');
  const store = (await openStore(true)) as StateStore;
  try {
    const current = store.get(pipeline, options.step);
    const question = `Set the cursor of ${pipeline} / ${options.step} to ${value}${current ? ` (now ${current.value})` : ''}? The next run reads from there.`;
    if (!options.yes) {
      if (!process.stdin.isTTY || !process.stderr.isTTY) {
        throw new OsirisError(ErrorCodes.USAGE, 'Refusing to change the state without confirmation.', {
          hint: 'Nothing was changed. Rerun with --yes to confirm.',
        });
      }
      if (!(await confirm(question))) {
        process.stderr.write('Nothing was changed.\n');
        return ExitCodes.OK;
      }
    }
    const state: CursorState = {
      pipeline,
      step_id: options.step,
      // A value set by hand applies to whatever cursor definition the step has.
      fingerprint: null,
      cursor: current?.cursor ?? '',
      value,
      kind: current?.kind ?? kindOfLiteral(value),
      run_id: null,
      updated_at: new Date().toISOString(),
    };
    store.put(state);
    if (options.json) printJson({ ok: true, cursor: shape(state) });
    else process.stdout.write(`${pc.green('✔')} ${line(state)}\n`);
    return ExitCodes.OK;
  } finally {
    store.close();
  }
}

function shape(row: CursorState) {
  return {
    pipeline: row.pipeline,
    step: row.step_id,
    cursor: row.cursor,
    value: row.value,
    kind: row.kind,
    run_id: row.run_id,
    updated_at: row.updated_at,
  };
}

function line(row: CursorState): string {
  const by = row.run_id ? `run ${row.run_id}` : 'set by hand';
  return `${row.pipeline}  ${pc.bold(row.step_id)}  ${row.cursor || '(cursor)'} = ${pc.cyan(row.value)}  ${pc.dim(`${row.updated_at} · ${by}`)}`;
}

async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
