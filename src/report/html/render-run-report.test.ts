import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureRun } from '../../../test/fixtures/runs/create-fixture-run.js';
import { at, createFixtureProject } from '../../../test/fixtures/runs/fixture-project.js';
import { FIXTURE_ENV, successRun, wideRun } from '../../../test/fixtures/runs/scenarios.js';
import { projectRedaction } from '../../composition/project-redaction.js';
import { findRun } from '../../observability/logs/find-run.js';
import { loadRunDetails } from '../../observability/logs/load-run-details.js';
import { renderRunReport } from './render-run-report.js';

const INJECTION = `"><img src=x onerror=alert(1)><script>alert(2)</script>`;

describe('renderRunReport', () => {
  let project: Awaited<ReturnType<typeof createFixtureProject>>;
  beforeAll(async () => {
    project = await createFixtureProject();
  });
  afterAll(() => project.remove());

  const render = async (runId: string) =>
    renderRunReport(
      await loadRunDetails(await findRun(project.dir, { runId }), projectRedaction(project.dir, FIXTURE_ENV)),
      {
        indexHref: 'index.html',
      },
    );

  it('escapes every user-controlled string: pipeline, step id, config, messages', async () => {
    const base = successRun(at(0));
    const status = await createFixtureRun(project.dir, {
      ...base,
      pipeline: `evil ${INJECTION}`,
      description: INJECTION,
      steps: [
        {
          id: 'step"><svg onload=alert(3)>',
          component: `x${INJECTION}`,
          mode: 'read',
          config: { query: INJECTION },
          rows: 1,
          warnings: [INJECTION],
        },
        {
          id: 'next',
          component: 'duckdb.processor',
          mode: 'transform',
          needs: ['step"><svg onload=alert(3)>'],
          outcome: 'failed',
          error: { code: 'E_QUERY_FAILED', message: INJECTION, hint: INJECTION },
        },
      ],
    });
    const page = await render(status.run_id);
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<svg onload');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page.match(/<script>/g)).toHaveLength(1);
  });

  it('is self-contained: no external resource, a CSP that forbids fetching, only local links', async () => {
    const status = await createFixtureRun(project.dir, successRun(at(1)));
    const page = await render(status.run_id);
    expect(page).toContain(`content="default-src 'none';`);
    expect(page).not.toMatch(/<link\b|<iframe\b|<img\b|@import|url\(\s*['"]?(https?:|\/\/)/i);
    expect(page).not.toMatch(/\bsrc\s*=/i);
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? '');
    expect(hrefs.length).toBeGreaterThan(10);
    for (const href of hrefs) expect(href).toMatch(/^(#[\w-]+|index\.html)$/);
    expect(Buffer.byteLength(page)).toBeLessThan(120_000);
  });

  it('renders a 200-step run with a node, a timeline row and a card per step', async () => {
    const status = await createFixtureRun(project.dir, wideRun(at(2)));
    const started = performance.now();
    const page = await render(status.run_id);
    console.log(
      `200-step report: ${Math.round(performance.now() - started)} ms, ${Math.round(page.length / 1024)} KB`,
    );
    expect(page.match(/<details class="step-card/g)).toHaveLength(200);
    expect(page.match(/<a href="#step-\d+" class="node/g)).toHaveLength(200);
    expect(page.match(/class="gantt-row"/g)).toHaveLength(200);
  });
});
