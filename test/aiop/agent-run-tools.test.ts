import { afterEach, describe, expect, it } from 'vitest';
import { readRunTool } from '../../src/agent/tools/read-run.js';
import { readStepTool } from '../../src/agent/tools/read-step.js';
import type { ToolContext } from '../../src/agent/tools/tool-context.js';
import { createFixtureRun } from '../fixtures/runs/create-fixture-run.js';
import { at, createFixtureProject } from '../fixtures/runs/fixture-project.js';
import {
  FIXTURE_ENV,
  PLANTED_API_KEY,
  PLANTED_PASSWORD,
  secretRun,
  successRun,
} from '../fixtures/runs/scenarios.js';

let project: Awaited<ReturnType<typeof createFixtureProject>> | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

/** The run tools read only the project folder, its environment and the samples switch. */
function toolContext(projectDir: string, samples: boolean): ToolContext {
  return { projectDir, env: FIXTURE_ENV, ...(samples ? {} : { samples: false }) } as unknown as ToolContext;
}

describe("the agent's run tools", () => {
  it('send a step sample to the model only without --no-samples', async () => {
    project = await createFixtureProject();
    const run = successRun(at(0));
    run.steps[0]!.artifacts = [
      {
        name: 'sample.json',
        content: JSON.stringify({ columns: ['title'], rows: [{ title: 'Heat-sample-row' }] }),
      },
    ];
    const status = await createFixtureRun(project.dir, run);
    const input = { run_id: status.run_id, step: 'extract-movies' };
    const shown = await readStepTool.run(input, toolContext(project.dir, true));
    expect(JSON.stringify(shown.result)).toContain('Heat-sample-row');
    const withheld = await readStepTool.run(input, toolContext(project.dir, false));
    expect(JSON.stringify(withheld.result)).not.toContain('Heat-sample-row');
    expect(JSON.stringify(withheld.result)).toContain('Row samples are withheld');
    // read_run never carries samples.
    const overview = await readRunTool.run({ run_id: status.run_id }, toolContext(project.dir, true));
    expect(JSON.stringify(overview.result)).not.toContain('Heat-sample-row');
    expect(overview.summary).toBe('success, 120 rows');
  });

  it('give the model no secret from the run', async () => {
    project = await createFixtureProject();
    const status = await createFixtureRun(project.dir, secretRun(at(0)));
    const context = toolContext(project.dir, true);
    const overview = await readRunTool.run({ run_id: status.run_id }, context);
    expect(overview.summary).toBe('failed: push-profiles E_AUTH_FAILED');
    const texts = [JSON.stringify(overview.result)];
    for (const step of ['extract-users', 'push-profiles'])
      texts.push(JSON.stringify((await readStepTool.run({ run_id: status.run_id, step }, context)).result));
    for (const text of texts) {
      expect(text).not.toContain(PLANTED_PASSWORD);
      expect(text).not.toContain(PLANTED_API_KEY);
    }
  });
});
