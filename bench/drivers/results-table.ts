import { type Measurement, rowsPerSecond } from './measurement.js';

const MEGABYTE = 1024 * 1024;
/** Issue 13: peak RSS of every run ≤ 300 MB. */
export const RSS_LIMIT_BYTES = 300 * MEGABYTE;
/** The large flatness run may exceed the main run's peak by this much (measurement noise) and still count as no higher. */
export const LARGE_RSS_TOLERANCE = 1.05;
/** RSS at N rows may exceed RSS at 1 M rows by this factor and still count as flat. */
export const FLAT_RSS_FACTOR = 1.2;

export interface BenchResults {
  rows: number;
  baselines: { mariadb?: Measurement; psql?: Measurement };
  transfers: Measurement[];
  /** Parquet runs at the small size, for the flatness check (same names as in `transfers`). */
  smallRuns: Measurement[];
  smallRows: number;
  /** The processor case (join + GROUP BY over every row). */
  processor?: Measurement;
  /** Its wall seconds in an earlier run (`--processor-reference`), for the "nothing gets slower" verdict. */
  processorReferenceSeconds?: number;
  /** Parquet runs at `--large-rows` (e.g. 20 M), which must peak no higher than at `rows`. */
  largeRuns?: Measurement[];
  largeRows?: number;
}

export interface TargetCheck {
  target: string;
  measured: string;
  verdict: 'met' | 'floor met' | 'missed' | 'n/a';
}

/** Failure messages span lines; a table cell must not. */
const oneLine = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
};

const formatRate = (value: number | undefined): string =>
  value === undefined ? '-' : Math.round(value).toLocaleString('en-US');
const formatSeconds = (value: number | undefined): string => (value === undefined ? '-' : value.toFixed(2));
const formatMegabytes = (value: number | undefined): string =>
  value === undefined ? '-' : `${Math.round(value / MEGABYTE)} MB`;

/** A Markdown table (it reads as plain text too): text columns left-aligned, figures right-aligned. */
function renderTable(header: string[], rows: string[][], textColumns: readonly number[]): string {
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => row[index]!.length)));
  const isText = (index: number) => textColumns.includes(index);
  const line = (cells: string[]) =>
    `| ${cells.map((cell, index) => (isText(index) ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, index) => `${'-'.repeat(width + 1)}${isText(index) ? '-' : ':'}`).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Which baseline an Osiris transfer compares against: the client of its source database. */
function baselineFor(name: string, results: BenchResults): Measurement | undefined {
  if (name.startsWith('MySQL')) return results.baselines.mariadb;
  if (name.startsWith('PostgreSQL')) return results.baselines.psql;
  return undefined;
}

function ratio(measurement: Measurement, baseline: Measurement | undefined): number | undefined {
  const own = rowsPerSecond(measurement);
  const reference = baseline ? rowsPerSecond(baseline) : undefined;
  return own === undefined || reference === undefined ? undefined : own / reference;
}

/**
 * The one table of figures: baselines first, then every Osiris transfer with its ratio to its
 * source's client, then the smaller Parquet runs of the flatness check.
 */
export function renderResultsTable(results: BenchResults): string {
  const baselines = [results.baselines.mariadb, results.baselines.psql].filter(
    (measurement): measurement is Measurement => measurement !== undefined,
  );
  const rows = [
    ...baselines.map((measurement) => [
      ...figures(measurement),
      'baseline',
      oneLine(measurement.skipped ?? ''),
    ]),
    ...results.transfers.map((measurement) => {
      const share = ratio(measurement, baselineFor(measurement.name, results));
      return [
        ...figures(measurement),
        share === undefined ? '-' : `${share.toFixed(2)}×`,
        measurement.skipped ? oneLine(measurement.skipped) : phasesOf(measurement),
      ];
    }),
    ...(results.processor
      ? [
          [
            ...figures(results.processor),
            '-',
            results.processor.skipped ? oneLine(results.processor.skipped) : phasesOf(results.processor),
          ],
        ]
      : []),
    ...results.smallRuns
      .concat(results.largeRuns ?? [])
      .map((measurement) => [
        ...figures(measurement),
        '-',
        measurement.skipped ? oneLine(measurement.skipped) : `flatness run: ${phasesOf(measurement)}`,
      ]),
  ];
  return renderTable(
    ['transfer', 'rows', 'seconds', 'rows/s', 'peak RSS', 'vs client', 'where the seconds went'],
    rows,
    [0, 6],
  );
}

const phasesOf = (measurement: Measurement): string =>
  Object.entries(measurement.phases ?? {})
    .map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)}`)
    .join(', ');

function figures(measurement: Measurement): string[] {
  return [
    measurement.name,
    measurement.rows.toLocaleString('en-US'),
    formatSeconds(measurement.seconds),
    formatRate(rowsPerSecond(measurement)),
    formatMegabytes(measurement.peakRssBytes),
  ];
}

/** The issue's targets, each with what was measured and whether it was met. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const find = (name: string) => results.transfers.find((measurement) => measurement.name === name);
  const checks: TargetCheck[] = [
    ratioCheck(
      'PostgreSQL → Parquet ≥ 0.7× psql \\copy rows/s',
      find('PostgreSQL → Parquet'),
      results.baselines.psql,
      0.7,
    ),
    ratioCheck(
      'PostgreSQL → CSV ≥ 0.7× psql \\copy rows/s',
      find('PostgreSQL → CSV'),
      results.baselines.psql,
      0.7,
    ),
    ratioCheck(
      'MySQL → Parquet ≥ 0.8× mariadb client rows/s (0.6× floor)',
      find('MySQL → Parquet'),
      results.baselines.mariadb,
      0.8,
      0.6,
    ),
    ratioCheck(
      'MySQL → CSV ≥ 0.8× mariadb client rows/s (0.6× floor)',
      find('MySQL → CSV'),
      results.baselines.mariadb,
      0.8,
      0.6,
    ),
    rateCheck('CSV → PostgreSQL ≥ 500,000 rows/s', find('CSV → PostgreSQL'), 500_000),
    rateCheck('MySQL → PostgreSQL ≥ 300,000 rows/s', find('MySQL → PostgreSQL'), 300_000),
    incrementalCheck(
      find('MySQL → PostgreSQL incremental, 1 % changed'),
      find('MySQL → PostgreSQL incremental, first run'),
    ),
  ];
  const processor = results.processor;
  if (processor) {
    const reference = results.processorReferenceSeconds;
    checks.push({
      target: 'processor (join + GROUP BY) no slower than before',
      measured:
        processor.seconds === undefined
          ? '-'
          : `${formatSeconds(processor.seconds)} s${reference === undefined ? ' (no --processor-reference given)' : ` vs ${formatSeconds(reference)} s before`}`,
      verdict:
        processor.seconds === undefined || reference === undefined
          ? 'n/a'
          : processor.seconds <= reference * 1.05
            ? 'met'
            : 'missed',
    });
  }
  const peaks = results.transfers
    .concat(results.smallRuns, results.largeRuns ?? [], processor ? [processor] : [])
    .filter((measurement) => measurement.peakRssBytes !== undefined);
  const highest = peaks.reduce<Measurement | undefined>(
    (top, measurement) => (!top || measurement.peakRssBytes! > top.peakRssBytes! ? measurement : top),
    undefined,
  );
  checks.push({
    target: 'peak RSS ≤ 300 MB (every Osiris run)',
    measured: highest ? `highest ${formatMegabytes(highest.peakRssBytes)} (${highest.name})` : '-',
    verdict: highest ? (highest.peakRssBytes! <= RSS_LIMIT_BYTES ? 'met' : 'missed') : 'n/a',
  });
  for (const large of results.largeRuns ?? []) {
    const main = find(large.name);
    const largePeak = large.peakRssBytes;
    const mainPeak = main?.peakRssBytes;
    checks.push({
      target: `${large.name}: RSS at ${(results.largeRows ?? 0).toLocaleString('en-US')} rows no higher than at ${results.rows.toLocaleString('en-US')}`,
      measured:
        largePeak === undefined || mainPeak === undefined
          ? '-'
          : `${formatMegabytes(mainPeak)} → ${formatMegabytes(largePeak)} (${(largePeak / mainPeak).toFixed(2)}×, ${LARGE_RSS_TOLERANCE}× allowed for noise)`,
      verdict:
        largePeak === undefined || mainPeak === undefined
          ? 'n/a'
          : largePeak <= mainPeak * LARGE_RSS_TOLERANCE
            ? 'met'
            : 'missed',
    });
  }
  for (const small of results.smallRuns) {
    const large = find(small.name);
    const smallPeak = small.peakRssBytes;
    const largePeak = large?.peakRssBytes;
    const measured =
      smallPeak === undefined || largePeak === undefined
        ? '-'
        : `${formatMegabytes(smallPeak)} at ${results.smallRows.toLocaleString('en-US')} → ${formatMegabytes(largePeak)} at ${results.rows.toLocaleString('en-US')} (${(largePeak / smallPeak).toFixed(2)}×)`;
    checks.push({
      target: `${small.name}: RSS flat (≤ ${FLAT_RSS_FACTOR}×) from ${results.smallRows.toLocaleString('en-US')} to ${results.rows.toLocaleString('en-US')} rows`,
      measured,
      verdict:
        smallPeak === undefined || largePeak === undefined
          ? 'n/a'
          : largePeak <= smallPeak * FLAT_RSS_FACTOR
            ? 'met'
            : 'missed',
    });
  }
  return checks;
}

function ratioCheck(
  target: string,
  measurement: Measurement | undefined,
  baseline: Measurement | undefined,
  minimum: number,
  floor?: number,
): TargetCheck {
  const share = measurement ? ratio(measurement, baseline) : undefined;
  if (share === undefined) return { target, measured: '-', verdict: 'n/a' };
  return {
    target,
    measured: `${share.toFixed(2)}× (${formatRate(rowsPerSecond(measurement!))} vs ${formatRate(rowsPerSecond(baseline!))} rows/s)`,
    verdict: share >= minimum ? 'met' : floor !== undefined && share >= floor ? 'floor met' : 'missed',
  };
}

function rateCheck(target: string, measurement: Measurement | undefined, minimum: number): TargetCheck {
  const rate = measurement ? rowsPerSecond(measurement) : undefined;
  if (rate === undefined) return { target, measured: '-', verdict: 'n/a' };
  return { target, measured: `${formatRate(rate)} rows/s`, verdict: rate >= minimum ? 'met' : 'missed' };
}

export function renderTargets(checks: TargetCheck[]): string {
  return renderTable(
    ['target', 'measured', 'verdict'],
    checks.map((check) => [check.target, check.measured, check.verdict]),
    [0, 1, 2],
  );
}

/** Issue 12: a second incremental run after changing 1 % of the table takes under 5 % of the full run. */
function incrementalCheck(second: Measurement | undefined, full: Measurement | undefined): TargetCheck {
  const target = 'incremental run after 1 % changed < 5 % of the full run';
  if (second?.seconds === undefined || full?.seconds === undefined)
    return { target, measured: '-', verdict: 'n/a' };
  const share = second.seconds / full.seconds;
  return {
    target,
    measured: `${formatSeconds(second.seconds)} s vs ${formatSeconds(full.seconds)} s (${(share * 100).toFixed(1)} %)`,
    verdict: share < 0.05 ? 'met' : 'missed',
  };
}
