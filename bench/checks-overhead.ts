/**
 * Issue 15 bench: what `unique` + `not_null` on the key add to a pipeline's run time.
 *   npx tsx bench/checks-overhead.ts [--rows 5000000] [--repeat 3]
 * The same CSV → DuckDB → CSV pipeline runs with and without the checks (alternating, median of
 * --repeat runs each), in-process on the local adapter; prints both times and the overhead.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePipeline } from '../src/compiler/index.js';
import { createDefaultRegistry } from '../src/composition/builtins.js';
import { loadConnections } from '../src/connections/index.js';
import { runPipeline } from '../src/runtime/runner.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return value;
}

const pipeline = (name: string, checks: string) => `oml_version: "0.1.0"
name: ${name}
steps:
  - id: rows
    component: filesystem.csv_extractor
    mode: read
    config: { path: data/rows.csv }
${checks}  - id: save
    component: filesystem.csv_writer
    mode: write
    needs: [rows]
    config: { path: output/${name}.csv }
`;

async function main(): Promise<void> {
  const rows = option('rows', 5_000_000);
  const repeat = option('repeat', 3);
  const project = await mkdtemp(join(tmpdir(), 'osiris-bench-checks-'));
  try {
    const lines = ['id,name,amount'];
    for (let id = 1; id <= rows; id++) lines.push(`${id},name ${id % 977},${(id % 10_000) / 100}`);
    await writeFile(join(project, 'osiris_connections.yaml'), 'version: 1\nconnections: {}\n');
    await mkdir(join(project, 'data'), { recursive: true });
    await writeFile(join(project, 'data/rows.csv'), `${lines.join('\n')}\n`);
    const registry = createDefaultRegistry();
    const files = {
      plain: pipeline('plain', ''),
      checked: pipeline('checked', '    checks:\n      - unique: [id]\n      - not_null: [id]\n'),
    };
    const builds: Record<string, string> = {};
    for (const [name, text] of Object.entries(files)) {
      const file = join(project, `${name}.yaml`);
      await writeFile(file, text);
      const compiled = await compilePipeline({ file, projectDir: project, registry, env: {} });
      if (!compiled.buildDir) throw new Error(JSON.stringify(compiled.diagnostics));
      builds[name] = compiled.buildDir;
    }
    const times: Record<string, number[]> = { plain: [], checked: [] };
    for (let round = 0; round < repeat; round++) {
      for (const name of ['plain', 'checked']) {
        const started = performance.now();
        const status = await runPipeline({
          buildDir: builds[name]!,
          projectDir: project,
          registry,
          connections: loadConnections({ cwd: project, env: {} }),
          samples: false,
        });
        if (status.status !== 'success') throw new Error(`${name}: ${JSON.stringify(status.error)}`);
        times[name]!.push(performance.now() - started);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const plain = median(times.plain!);
    const checked = median(times.checked!);
    process.stdout.write(
      `rows ${rows}, median of ${repeat}: without checks ${plain.toFixed(0)} ms, with unique + not_null ${checked.toFixed(0)} ms, ` +
        `overhead ${(((checked - plain) / plain) * 100).toFixed(1)}%\n` +
        `target (issue 15): checks add under 20 %: ${checked < plain * 1.2 ? 'met' : 'missed'}\n`,
    );
  } finally {
    await rm(project, { recursive: true, force: true });
  }
}

await main();
