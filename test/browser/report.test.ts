import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRedaction } from '../../src/composition/project-redaction.js';
import { writeReports } from '../../src/report/write-reports.js';
import { createFixtureRun } from '../fixtures/runs/create-fixture-run.js';
import { at, createFixtureProject } from '../fixtures/runs/fixture-project.js';
import { REPO_ROOT } from '../fixtures/runs/run-cli.js';
import {
  FIXTURE_ENV,
  failedRun,
  multiBranchRun,
  PLANTED_API_KEY,
  PLANTED_PASSWORD,
  secretRun,
  successRun,
} from '../fixtures/runs/scenarios.js';

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
const INJECTION = `<img src=x onerror="alert('pwned')">`;

// Locally a machine without chromium skips; in CI a missing browser is a failure, never a skip.
const inCi = process.env.CI === 'true';
const available = existsSync(CHROMIUM);

describe.skipIf(!available && !inCi)('HTML run reports in headless Chromium', () => {
  let browser: Browser;
  let project: Awaited<ReturnType<typeof createFixtureProject>>;
  const reports: Record<string, string> = {};
  let indexPath = '';

  beforeAll(async () => {
    if (!available)
      throw new Error(
        `Chromium is required in CI but ${CHROMIUM} does not exist (apt-get install chromium).`,
      );
    project = await createFixtureProject();
    const ids = {
      success: (await createFixtureRun(project.dir, successRun(at(0)))).run_id,
      failed: (await createFixtureRun(project.dir, failedRun(at(1)))).run_id,
      branches: (await createFixtureRun(project.dir, multiBranchRun(at(2)))).run_id,
      secret: (await createFixtureRun(project.dir, secretRun(at(3)))).run_id,
      injection: (
        await createFixtureRun(project.dir, {
          ...successRun(at(4)),
          pipeline: `injection ${INJECTION}`,
          extraEvents: [
            { offsetMs: 10, name: 'warning', fields: { step_id: 'top-rated', message: INJECTION } },
          ],
        })
      ).run_id,
    };
    const written = await writeReports({
      projectDir: project.dir,
      redaction: projectRedaction(project.dir, FIXTURE_ENV),
    });
    for (const [name, id] of Object.entries(ids)) {
      reports[name] = written.reports.find((report) => report.runId === id)?.path ?? '';
    }
    indexPath = written.indexPath;
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await project?.remove();
  });

  /** Open a page recording every request, dialog and script error it produces. */
  async function open(
    path: string,
  ): Promise<{ page: Page; requests: string[]; problems: string[]; close(): Promise<void> }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    return { page, requests, problems, close: () => context.close() };
  }

  /** Nothing but the file itself may be requested, and the layout may not overflow sideways. */
  async function expectSelfContainedAndTidy(
    view: Awaited<ReturnType<typeof open>>,
    name: string,
  ): Promise<void> {
    expect(view.requests.length).toBeGreaterThan(0);
    for (const url of view.requests) expect(url, `${name} requested ${url}`).toMatch(/^(file|data|about):/);
    expect(view.problems).toEqual([]);
    // Evaluated in the page (the test itself is compiled without DOM types, hence the string).
    const overflow = (await view.page.evaluate(`({
      page: document.documentElement.scrollWidth - window.innerWidth,
      tables: [...document.querySelectorAll('.table-box')]
        .filter((box) => box.scrollWidth > box.clientWidth + 1)
        .map((box) => box.querySelector('table')?.id ?? '?'),
    })`)) as { page: number; tables: string[] };
    expect(overflow.page, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
    expect(overflow.tables, `${name} has tables wider than their box`).toEqual([]);
    await view.page.mouse.move(0, 0);
    await view.page.evaluate(`window.scrollTo({ top: 0, behavior: 'instant' })`);
    await view.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    // What a reader sees first, at full resolution.
    await view.page.screenshot({ path: join(SCREENSHOTS, `${name}-top.png`) });
  }

  it('successful run: header, graph, timeline, steps with row counts; filters work', async () => {
    const view = await open(reports.success!);
    const { page } = view;
    await expect(page.locator('h1').textContent()).resolves.toBe('movies-top-rated');
    await expect(page.getByTestId('run-status').textContent()).resolves.toBe('Succeeded');
    await expect(page.locator('.badge.adapter-local').isVisible()).resolves.toBe(true);
    expect(await page.locator('svg.dag .node').count()).toBe(3);
    for (const step of ['extract-movies', 'top-rated', 'write-csv']) {
      await expect(page.locator('svg.dag .node', { hasText: step }).isVisible()).resolves.toBe(true);
    }
    const extractRow = page.getByTestId('step-table').locator('tr', { hasText: 'extract-movies' });
    await expect(extractRow.textContent()).resolves.toMatch(/12,480.*420 ms.*29,714/s);
    expect(await page.locator('.gantt-bar.status-success').count()).toBe(3);
    await expect(page.getByTestId('run-error').count()).resolves.toBe(0);

    const events = page.locator('.filters[data-table="event-table"]');
    await events.locator('select[data-filter="event"]').selectOption('step_complete');
    await expect(events.locator('[data-count]').textContent()).resolves.toBe('3 of 11 rows');
    await events.locator('input[data-filter="text"]').fill('write-csv');
    expect(await page.locator('#event-table tbody tr:not([hidden])').count()).toBe(1);
    await events.locator('input[data-filter="text"]').fill('');
    await events.locator('select[data-filter="event"]').selectOption('');
    await expectSelfContainedAndTidy(view, 'report-success');
    await view.close();
  });

  it('failed run: leads with the error box (code, message, hint, failing step)', async () => {
    const view = await open(reports.failed!);
    const { page } = view;
    const error = page.getByTestId('run-error');
    await expect(error.isVisible()).resolves.toBe(true);
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('E_CONNECTION_FAILED');
    expect(text).toContain('extract-orders');
    expect(text).toContain(
      'Cannot connect to MySQL at db.internal:3306: connect ETIMEDOUT (after 3 attempts)',
    );
    expect(text).toContain('osiris connections doctor @mysql.prod');
    const errorTop = (await error.boundingBox())?.y ?? Number.POSITIVE_INFINITY;
    const graphTop = (await page.locator('#graph').boundingBox())?.y ?? 0;
    expect(errorTop).toBeLessThan(graphTop);
    expect(errorTop).toBeLessThan(900);
    await expect(page.getByTestId('run-status').textContent()).resolves.toBe('Failed');
    expect(await page.locator('svg.dag .node.status-failed').count()).toBe(1);
    expect(await page.locator('svg.dag .node.status-skipped').count()).toBe(2);
    await expect(page.locator('details.step-card.status-failed').getAttribute('open')).resolves.toBe('');
    await expectSelfContainedAndTidy(view, 'report-failed');
    await view.close();
  });

  it('multi-branch run: the joined DAG, per-branch status and rows, skipped step', async () => {
    const view = await open(reports.branches!);
    const { page } = view;
    expect(await page.locator('svg.dag .node').count()).toBe(7);
    expect(await page.locator('svg.dag path.edge').count()).toBe(6);
    const join = page.locator('svg.dag .node', { hasText: 'join-customer-orders' });
    await expect(join.textContent()).resolves.toContain('45,977 rows');
    await expect(page.locator('svg.dag .node.status-skipped').textContent()).resolves.toContain(
      'net-revenue',
    );
    await expect(page.locator('.gantt-note.skipped').textContent()).resolves.toContain(
      "skipped: 'refunds' did not succeed",
    );
    await expect(page.locator('.badge.adapter-e2b').isVisible()).resolves.toBe(true);
    const nodes = await page.locator('svg.dag .node').evaluateAll((elements) =>
      elements.map((element) => {
        const box = element.querySelector('rect.box')!;
        return { step: element.getAttribute('data-step'), x: Number(box.getAttribute('x')) };
      }),
    );
    const column = (step: string) => nodes.find((node) => node.step === step)?.x ?? -1;
    expect(column('customers')).toBeLessThan(column('join-customer-orders'));
    expect(column('join-customer-orders')).toBeLessThan(column('write-parquet'));
    expect(column('write-parquet')).toBe(column('write-json'));
    await page.locator('svg.dag .node', { hasText: 'write-json' }).click();
    await expect(
      page.locator('details.step-card[data-step="write-json"]').getAttribute('open'),
    ).resolves.toBe('');
    await expectSelfContainedAndTidy(view, 'report-multi-branch');
    await view.close();
  });

  it('secret-named config fields show *** and no planted secret reaches the page', async () => {
    const view = await open(reports.secret!);
    const { page } = view;
    const config = page.locator('details.step-card[data-step="extract-users"]').getByTestId('step-config');
    const password = config.locator('tr', { hasText: 'password' }).locator('td').nth(1);
    await expect(password.isVisible()).resolves.toBe(true);
    await expect(password.textContent()).resolves.toMatch(/^\*\*\*/);
    const visible = (await page.locator('body').textContent()) ?? '';
    const markup = await page.content();
    for (const secret of [PLANTED_PASSWORD, PLANTED_API_KEY]) {
      expect(visible).not.toContain(secret);
      expect(markup).not.toContain(secret);
    }
    await expectSelfContainedAndTidy(view, 'report-secret');
    await view.close();
  });

  it('markup in names and messages is shown as text, never run', async () => {
    const view = await open(reports.injection!);
    await expect(view.page.locator('h1').textContent()).resolves.toBe(`injection ${INJECTION}`);
    expect(await view.page.locator('main img').count()).toBe(0);
    await expectSelfContainedAndTidy(view, 'report-injection');
    await view.close();
  });

  it('index page: every run with status, rows and duration, charts per pipeline, links that open', async () => {
    const view = await open(indexPath);
    const { page } = view;
    expect(await page.locator('#run-table tbody tr').count()).toBe(5);
    expect(await page.locator('.pipeline-card').count()).toBe(5);
    expect(await page.locator('.pipeline-card svg.chart').count()).toBe(5);
    const failedRow = page.locator('#run-table tbody tr', { hasText: 'orders-sync' });
    await expect(failedRow.textContent()).resolves.toMatch(/Failed.*E_CONNECTION_FAILED.*1\.3 s/s);
    await page.locator('.filters select[data-filter="status"]').selectOption('failed');
    expect(await page.locator('#run-table tbody tr:not([hidden])').count()).toBe(3);
    await page.locator('.filters select[data-filter="status"]').selectOption('');
    await expectSelfContainedAndTidy(view, 'index');
    await failedRow.locator('a').click();
    await page.waitForURL(/\.html$/);
    await expect(page.getByTestId('run-error').isVisible()).resolves.toBe(true);
    await view.close();
  });
});
