import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/runs/run-cli.js';
import { runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';

const CHROMIUM = process.env.OSIRIS_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const inCi = process.env.CI === 'true';
const available = existsSync(CHROMIUM);

const SQL =
  'SELECT id, upper(name) AS name, CAST(id * 1.5 AS DECIMAL(6,2)) AS score FROM input_df ORDER BY id';

/** The report `osiris run` writes by default, for a pipeline that succeeded after failing twice. */
describe.skipIf(!available && !inCi)('run report: output schema, sample rows and run history', () => {
  let browser: Browser;
  let report = '';

  beforeAll(async () => {
    if (!available) throw new Error(`Chromium is required in CI but ${CHROMIUM} does not exist.`);
    const dir = await makeProject({
      'data/users.csv': 'id,name\n1,Ada\n2,Linus\n3,Grace\n',
      'pipelines/users.yaml': `oml_version: "0.1.0"
name: users
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: shout, component: duckdb.processor, mode: transform, needs: [users], config: { query: "${SQL}" } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [shout], config: { path: output/users.csv } }
`,
      'pipelines/broken.yaml': `oml_version: "0.1.0"
name: users
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/missing.csv } }
`,
    });
    const env = { OSIRIS_HOME: undefined };
    for (const file of ['users', 'broken', 'broken']) {
      await runCli(['run', `pipelines/${file}.yaml`, '--no-report'], { cwd: dir, env });
    }
    const last = await runCli(['run', 'pipelines/users.yaml'], { cwd: dir, env });
    expect(last.code).toBe(0);
    report = /report:\s+(\S+\.html)/.exec(last.stdout)?.[1] ?? '';
    expect(existsSync(report)).toBe(true);
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows each step output schema with types and its first rows; no empty "No artifacts."', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });

    const shout = page.locator('details.step-card[data-step="shout"]');
    const schema = shout.getByTestId('output-schema');
    await expect(schema.isVisible()).resolves.toBe(true);
    const types = await schema
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].slice(0, 2).map((cell) => cell.textContent)),
      );
    expect(types).toEqual([
      ['id', 'BIGINT'],
      ['name', 'VARCHAR'],
      ['score', 'DECIMAL(6,2)'],
    ]);
    const sample = shout.getByTestId('output-sample');
    await expect(sample.locator('thead').textContent()).resolves.toBe('idnamescore');
    const rows = await sample.locator('tbody tr').allTextContents();
    expect(rows).toEqual(['1ADA1.50', '2LINUS3.00', '3GRACE4.50']);
    // A writer has no output table: no schema section, but its config artifact is listed.
    const writer = page.locator('details.step-card[data-step="out"]');
    await expect(writer.getByTestId('step-output').count()).resolves.toBe(0);
    await expect(writer.textContent()).resolves.toContain('artifacts/out/config.json');
    await expect(page.locator('body').textContent()).resolves.not.toContain('No artifacts.');

    // The timeline axis says when the run started, not only how long it took.
    const axis = await page.locator('.gantt-axis span').allTextContents();
    expect(axis[0]).toMatch(/^\d{2}:\d{2}:\d{2} UTC$/);
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-output.png'), fullPage: true });
    await context.close();
  });

  it('draws failed runs in the history chart as full-height bands, with start times on the axis', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
    const chart = page.locator('svg.chart').first();
    const bands = chart.locator('rect.fail-band');
    expect(await bands.count()).toBe(2);
    const bandBox = await bands.first().boundingBox();
    const chartBox = await chart.boundingBox();
    // Clearly visible: well over half the chart's height, where a 0-row bar was a 1.5 px sliver.
    expect(bandBox?.height ?? 0).toBeGreaterThan((chartBox?.height ?? 0) * 0.5);
    const axis = await chart.locator('text[data-axis]').allTextContents();
    expect(axis).toHaveLength(2);
    for (const label of axis) expect(label).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await chart.screenshot({ path: join(SCREENSHOTS, 'report-history-chart.png') });
    await context.close();
  });
});
