import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { ConnectionsConfig, DoctorReport, DoctorResult } from '../../connections/index.js';
import type { Redactor } from '../../util/redactor.js';
import { warnPlaintextSecrets } from '../connection-warnings.js';
import { action } from '../output.js';

interface ListOptions {
  json?: boolean;
}

interface DoctorCommandOptions {
  json?: boolean;
  timeout: string;
}

export function registerConnections(program: Command): void {
  const connections = program
    .command('connections')
    .description('List and check the connections of osiris_connections.yaml (secrets are never shown).')
    .addHelpText(
      'after',
      `
The file is looked up in $OSIRIS_HOME, then the current folder and its parents. Values may read
the environment as \${VAR} or \${VAR:-default}; a .env file next to it is read too (shell values win).

Examples:
  $ osiris connections list
  $ osiris connections doctor
  $ osiris connections doctor @mysql.movies --json`,
    );

  connections
    .command('list')
    .description('Show every connection: family, alias, default marker and fields, with secrets as ***.')
    .option('--json', 'print the connections as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ osiris connections list
  $ osiris connections list --json`,
    )
    .action(action(async (options: ListOptions) => listConnections(options)));

  connections
    .command('doctor')
    .description(
      'Check that each connection resolves (every ${VAR} is set) and, where possible, is reachable.',
    )
    .argument('[ref]', 'check only this connection, e.g. @mysql.movies')
    .option('--json', 'print the report as JSON')
    .option('--timeout <ms>', 'give up on a connectivity check after this many milliseconds', '15000')
    .addHelpText(
      'after',
      `
Examples:
  $ osiris connections doctor
  $ osiris connections doctor @duckdb.local --json

Exit codes: 0 all fine, 2 a connection is misconfigured (unset variable, unknown reference),
3 a connectivity check failed (server unreachable, login refused, database missing).`,
    )
    .action(action(async (ref: string | undefined, options: DoctorCommandOptions) => doctor(ref, options)));
}

async function loadContext(): Promise<{
  config: ConnectionsConfig;
  secretNames: string[];
  redactor: Redactor;
  library: typeof import('../../connections/index.js');
}> {
  const library = await import('../../connections/index.js');
  const { projectSpecs } = await import('../../composition/project-specs.js');
  const config = library.loadConnections({ cwd: process.cwd(), env: process.env });
  await warnPlaintextSecrets(config);
  const { specs, problem } = projectSpecs(config.projectDir);
  if (problem) process.stderr.write(`warning: ${problem}\n`);
  const secretNames = library.secretNamesFromSpecs(specs);
  const { Redactor } = await import('../../util/redactor.js');
  const redactor = new Redactor(library.connectionSecretValues(config, secretNames));
  return { config, secretNames, redactor, library };
}

const NO_FILE_MESSAGE =
  'No osiris_connections.yaml found here, in a parent folder or in $OSIRIS_HOME.\n' +
  'Run `osiris init` to create a project with commented connection examples.';

async function listConnections(options: ListOptions): Promise<number> {
  const { config, secretNames, redactor, library } = await loadContext();
  // The last line of defence: whatever a field looks like, no resolved secret leaves the process.
  const write = (text: string) => process.stdout.write(redactor.text(text));
  const rows = config.connections.map((raw) => ({
    ...library.summarizeConnection(raw, undefined, secretNames),
    variables: library.connectionVariables(raw, config.env),
  }));

  if (options.json) {
    write(
      `${JSON.stringify({ ok: true, file: config.file ?? null, projectDir: config.projectDir, connections: rows }, null, 2)}\n`,
    );
    return 0;
  }
  if (!config.file) {
    write(`${NO_FILE_MESSAGE}\n`);
    return 0;
  }
  if (rows.length === 0) {
    write(`${config.file} defines no connections yet: uncomment an example in it, then run this again.\n`);
    return 0;
  }
  const table = [
    ['FAMILY', 'ALIAS', 'DEFAULT', 'FIELDS'],
    ...rows.map((row) => [row.family, row.alias, row.isDefault ? 'yes' : '', formatFields(row.fields)]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...table.map((line) => (line[column] ?? '').length)));
  const lines = [`Connections in ${config.file}`, ''];
  table.forEach((cells, index) => {
    const text = cells
      .map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell))
      .join('  ');
    lines.push(`  ${index === 0 ? pc.dim(text) : text}`);
    const variables = index === 0 ? [] : (rows[index - 1]?.variables ?? []);
    if (variables.length > 0) {
      const described = variables.map(({ variable, status }) =>
        status === 'missing'
          ? pc.red(`${variable} missing`)
          : status === 'default'
            ? `${variable} (default)`
            : `${variable} set`,
      );
      lines.push(
        `  ${' '.repeat((widths[0] ?? 0) + (widths[1] ?? 0) + (widths[2] ?? 0) + 6)}${pc.dim('env:')} ${described.join(', ')}`,
      );
    }
  });
  lines.push(
    '',
    pc.dim(
      'Use a connection in a pipeline step as `connection: "@family.alias"`. Check them with `osiris connections doctor`.',
    ),
  );
  write(`${lines.join('\n')}\n`);
  return 0;
}

function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([name, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `${name}=${typeof value === 'string' && /\s/.test(value) ? JSON.stringify(value) : text}`;
    })
    .join(' ');
}

async function doctor(ref: string | undefined, options: DoctorCommandOptions): Promise<number> {
  const timeoutMs = Number(options.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    const { OsirisError, ErrorCodes } = await import('../../spec/errors.js');
    throw new OsirisError(
      ErrorCodes.USAGE,
      `--timeout must be a positive number of milliseconds, got "${options.timeout}"`,
      {
        hint: 'e.g. --timeout 5000',
      },
    );
  }
  const { config, secretNames, redactor, library } = await loadContext();
  const write = (text: string) => process.stdout.write(redactor.text(text));
  if (!config.file && ref === undefined) {
    write(
      options.json
        ? `${JSON.stringify({ ok: true, file: null, results: [] }, null, 2)}\n`
        : `${NO_FILE_MESSAGE}\n`,
    );
    return 0;
  }
  const { builtins } = await import('../../composition/builtins.js');
  const report = await library.runConnectionsDoctor(config, {
    ...(ref ? { ref } : {}),
    secretNames,
    timeoutMs,
    probes: builtins.doctorProbes,
  });
  if (options.json) {
    const problems = report.results.filter(
      (result) => result.status !== 'ok' && result.status !== 'unchecked',
    );
    const error =
      report.exitCode === 0
        ? undefined
        : {
            code: report.exitCode === 2 ? 'E_CONNECTIONS_INVALID' : 'E_CONNECTION_FAILED',
            message: `${problems.length} connection(s) with problems: ${problems.map((result) => result.ref).join(', ')}.`,
            hint: "Each connection's problems are in `results`.",
          };
    write(
      `${JSON.stringify({ ok: report.exitCode === 0, ...report, ...(error ? { error } : {}) }, null, 2)}\n`,
    );
    return report.exitCode;
  }
  write(formatReport(report));
  return report.exitCode;
}

const STATUS_LABEL: Record<DoctorResult['status'], string> = {
  ok: pc.green('✓ ok'),
  unchecked: pc.yellow('• not checked'),
  misconfigured: pc.red('✗ misconfigured'),
  failed: pc.red('✗ failed'),
};

function formatReport(report: DoctorReport): string {
  const lines = [
    `Checking ${report.results.length} connection(s) in ${report.file ?? report.projectDir}`,
    '',
  ];
  if (report.results.length === 0)
    lines.push('  no connections defined yet: uncomment an example in the file.');
  const width = Math.max(0, ...report.results.map((result) => result.ref.length));
  for (const result of report.results) {
    lines.push(`  ${result.ref.padEnd(width)}  ${STATUS_LABEL[result.status]}`);
    const indent = ' '.repeat(width + 4);
    for (const problem of result.problems) lines.push(`${indent}${problem.message}`);
    const unset = result.problems.flatMap((problem) => (problem.variable ? [problem.variable] : []));
    if (unset.length > 0) {
      const dotenv = path.join(report.projectDir, '.env');
      lines.push(`${indent}${pc.cyan('hint:')} set ${unset.join(', ')} in your shell or in ${dotenv}`);
    }
    const connectivity = result.connectivity;
    if (connectivity.status === 'ok') {
      lines.push(`${indent}${connectivity.serverVersion}, answered in ${connectivity.latencyMs} ms`);
    } else if (connectivity.status === 'failed') {
      lines.push(`${indent}${pc.dim(`[${connectivity.code}]`)} ${connectivity.message}`);
      if (connectivity.hint) lines.push(`${indent}${pc.cyan('hint:')} ${connectivity.hint}`);
    } else if (connectivity.status === 'unavailable') {
      lines.push(`${indent}variables resolve; ${connectivity.message}`);
    }
  }
  const counts = (status: DoctorResult['status']) =>
    report.results.filter((result) => result.status === status).length;
  const misconfigured = counts('misconfigured');
  const failed = counts('failed');
  lines.push('');
  if (misconfigured + failed === 0) lines.push(pc.green('No problems found.'));
  else {
    const parts = [
      misconfigured > 0 ? `${misconfigured} misconfigured` : '',
      failed > 0 ? `${failed} unreachable` : '',
    ].filter(Boolean);
    lines.push(pc.red(`Problems: ${parts.join(', ')}.`));
  }
  return `${lines.join('\n')}\n`;
}
