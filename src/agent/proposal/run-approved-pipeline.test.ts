import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Proposal } from '../session/session-types.js';
import type { ApprovedProposal } from './decide-proposal.js';
import { runApprovedPipeline } from './run-approved-pipeline.js';

const SRC = fileURLToPath(new URL('../../', import.meta.url));

const proposal: Proposal = {
  name: 'movies-export',
  oml: 'oml_version: "0.1.0"\nname: movies-export\nsteps: []\n',
  reads: [],
  writes: [{ stepId: 'write', component: 'filesystem.csv_writer', target: 'output/movies.csv' }],
  warnings: [],
  source: 'model',
  status: 'pending',
  revision: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
};

const options = {
  projectDir: '/nowhere',
  env: {},
  sessionId: 'session',
  emit: () => {},
  enterState: () => {},
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('runApprovedPipeline takes only an approval that approveAndRun made', () => {
  it('refuses, at compile time, anything else (tsc checks every @ts-expect-error below)', () => {
    expectTypeOf(runApprovedPipeline)
      .parameter(0)
      .toHaveProperty('approval')
      .toEqualTypeOf<ApprovedProposal>();
    // Never called: each line must fail to typecheck, or `npm run typecheck` fails.
    const attempts = [
      // @ts-expect-error a proposal, even one marked approved, is not an approval
      () => runApprovedPipeline({ ...options, approval: { ...proposal, status: 'approved' } }),
      // @ts-expect-error nor is an object shaped like an approval
      () => runApprovedPipeline({ ...options, approval: { proposal, by: 'user', omlSha256: '' } }),
      // @ts-expect-error nor the proposal under its old option name
      () => runApprovedPipeline({ ...options, proposal }),
      // @ts-expect-error an approval cannot be constructed outside decide-proposal.ts
      () => new ApprovedProposal(proposal, 'user'),
    ];
    expect(attempts).toHaveLength(4);
  });

  it('is not forged with a cast anywhere in the product code', () => {
    const forged = sourceFiles(SRC)
      .filter((file) => /\bas\s+(unknown\s+as\s+)?ApprovedProposal\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(forged).toEqual([]);
  });
});
