import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { describeIfServers, requireTestServer, TEST_SERVER_PASSWORD } from '../setup/test-servers.js';
import { filesContaining, makeProject } from '../support/project.js';
import { type ChatHarness, startChatHarness } from './support/chat-harness.js';

let harness: ChatHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A project whose only connection is the MariaDB movies fixture, password from the environment. */
async function mariadbProject(): Promise<{ dir: string; env: Record<string, string> }> {
  const facts = requireTestServer('mysql');
  const dir = await makeProject({
    'osiris_connections.yaml': `version: 1
connections:
  mysql:
    movies:
      default: true
      host: ${facts.host}
      port: ${facts.port}
      database: ${facts.database}
      user: ${facts.user}
      password: \${MYSQL_PASSWORD}
`,
  });
  return { dir, env: { MYSQL_PASSWORD: facts.password } };
}

describeIfServers('mysql', 'chat scenarios against the MariaDB movies fixture', () => {
  it('finds director Ava DuVernay, and the password reaches no request, session or output', async () => {
    const { dir, env } = await mariadbProject();
    expect(env.MYSQL_PASSWORD).toBe(TEST_SERVER_PASSWORD);
    harness = await startChatHarness({ scenario: 'agent-find-ava-duvernay.yaml', projectDir: dir, env });

    const turn = await harness.send('Find Director Ava DuVernay');

    expect(turn.error).toBeUndefined();
    expect(turn.text).toContain('Selma');
    expect(turn.text).toContain('born 1972, American, 8 awards');
    const lines = harness.statusLines();
    expect(lines[0]).toBe('listing connections… 1 connection (@mysql.movies)');
    expect(lines[1]).toMatch(/^discovering @mysql\.movies… \d+ tables/);
    expect(lines[2]).toBe('searching @mysql.movies for "Ava DuVernay"… 1 match in directors.name');
    expect(harness.server.remaining()).toBe(0);

    // The planted secret: in no request the model received, not in the session DB, not in any output.
    expect(JSON.stringify(harness.server.requests)).not.toContain(TEST_SERVER_PASSWORD);
    expect(JSON.stringify(harness.events)).not.toContain(TEST_SERVER_PASSWORD);
    expect(JSON.stringify(turn)).not.toContain(TEST_SERVER_PASSWORD);
    harness.chat.close();
    expect(await filesContaining(join(dir, '.osiris'), TEST_SERVER_PASSWORD)).toEqual([]);
  });

  it('runs the user journey on MariaDB: proposal with mysql.extractor → approve → CSV with rows', async () => {
    const { dir, env } = await mariadbProject();
    harness = await startChatHarness({
      scenario: 'agent-reviewer-engagement.yaml',
      projectDir: dir,
      env,
      protocol: 'anthropic',
    });

    await harness.send('Show me which reviewers are most active');
    const proposed = await harness.send('Every review, with their average rating');
    expect(proposed.proposal?.reads[0]).toMatchObject({
      component: 'mysql.extractor',
      connection: '@mysql.movies',
    });

    const ran = await harness.send('looks good');
    expect(ran.error).toBeUndefined();
    expect(ran.outcome).toBe('ran');
    const csv = (await readFile(join(dir, 'output/reviewer_engagement.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('reviewer,reviews,avg_rating,last_review');
    expect(csv).toHaveLength(21);
    expect(harness.server.remaining()).toBe(0);

    harness.chat.close();
    expect(JSON.stringify(harness.server.requests)).not.toContain(TEST_SERVER_PASSWORD);
    expect(await filesContaining(dir, TEST_SERVER_PASSWORD)).toEqual([]);
  });
});
