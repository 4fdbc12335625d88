// biome-ignore-all lint/suspicious/noTemplateCurlyInString: connections files use `${VAR}` literally.
/**
 * README doctest (issue 14: "The README stays true: its command blocks run in a test").
 *
 * Every fenced ```bash / ```sh / ```shell / ```console block of README.md runs as written, one
 * command after another in one bash process per block (so `cd` and `export` carry over), from a
 * fresh temp folder that is also `$HOME` (so `cd ~` lands there; nothing is written in the clone).
 * `osiris` on the PATH is a shim for `node <repo>/bin/osiris.js`, standing in for `npm install -g .`.
 * Each command must exit 0; the block stops at the first command that does not.
 *
 * Conventions in README.md (HTML comments, invisible on GitHub, on the lines right before a block):
 * - `<!-- doctest: skip (reason) -->` skips the whole block. The reason is required.
 * - `<!-- doctest: skip `cmd` `cmd` (reason) -->` skips only those commands (as written, without
 *   their trailing comment); the rest of the block runs.
 * - `<!-- doctest: setup SHELL COMMAND -->` runs a hidden command first, in the block's folder
 *   (e.g. `osiris init my-project` for a block that starts with `cd my-project`). For a block that
 *   needs the database servers: the block's environment has `$DOCTEST_CONNECTIONS`, an
 *   osiris_connections.yaml with `@mysql.movies` and `@postgres.movies` (both `default: true`) on the
 *   test servers the vitest global setup started (the movies database is loaded in both), with
 *   `MYSQL_PASSWORD`/`PG_PASSWORD` set; e.g. `<!-- doctest: setup cp "$DOCTEST_CONNECTIONS" . -->`.
 *   Such a block is skipped locally when a server is missing, and fails in CI (CI=true).
 * - A command whose trailing comment starts with `exit N` (`osiris validate bad.yaml  # exit 2: …`)
 *   must exit N instead of 0.
 * In ```console blocks only `$ `-prefixed lines are commands. A trailing `\` continues a command;
 * heredocs are not supported.
 *
 * ```yaml blocks: one with `oml_version` must pass `osiris validate` inside a demo project (where
 * `@duckdb.movies` exists); one with top-level `connections:` must load with `osiris connections
 * list --json` and list every alias; one with `agent:` (osiris.yaml) must resolve to the models it
 * names. Any other yaml block needs a `doctest: skip (reason)`.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { resolveAgentSettings } from '../../src/agent/provider/agent-settings.js';
import {
  GENERIC_KEY_VARIABLE,
  PROVIDER_NAMES,
  PROVIDER_PRESETS,
} from '../../src/agent/provider/provider-catalog.js';
import { REPO_ROOT } from '../fixtures/oml/built-cli.js';
import { getTestServers } from '../setup/test-servers.js';

const README = join(REPO_ROOT, 'README.md');
const SHELL_LANGUAGES = new Set(['bash', 'sh', 'shell', 'console']);
const YAML_LANGUAGES = new Set(['yaml', 'yml']);
/** A README block that has not finished after this long is stuck (e.g. waiting for input). */
const BLOCK_TIMEOUT_MS = 150_000;

interface Command {
  /** As written in the README, without its trailing comment. */
  text: string;
  /** What bash runs. */
  run: string;
  expectedExit: number;
}

interface Block {
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  heading: string;
  body: string;
  commands: Command[];
  skipReason?: string;
  skipCommands: { text: string; reason: string }[];
  setup: string[];
}

interface ParsedReadme {
  blocks: Block[];
  problems: string[];
}

const DIRECTIVE = /^\s*<!--\s*doctest:\s*(.*?)\s*-->\s*$/;

function parseReadme(markdown: string): ParsedReadme {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  const problems: string[] = [];
  let heading = '(top)';
  let pending: { line: number; text: string }[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const directive = DIRECTIVE.exec(line);
    if (directive) {
      pending.push({ line: index + 1, text: directive[1]! });
      continue;
    }
    const fence = /^(\s*)```\s*([\w-]*)/.exec(line);
    if (!fence) {
      if (line.trim() === '') continue;
      if (/^#{1,6}\s/.test(line)) heading = line.trim();
      for (const marker of pending)
        problems.push(`README.md:${marker.line}: doctest marker is not right before a code block`);
      pending = [];
      continue;
    }
    const start = index;
    const bodyLines: string[] = [];
    for (index++; index < lines.length && lines[index]!.trim() !== '```'; index++)
      bodyLines.push(lines[index]!.slice(fence[1]!.length));
    const language = fence[2]!.toLowerCase();
    const block: Block = {
      line: start + 1,
      language,
      heading,
      body: `${bodyLines.join('\n')}\n`,
      commands: SHELL_LANGUAGES.has(language) ? commandsOf(bodyLines, language === 'console') : [],
      skipCommands: [],
      setup: [],
    };
    for (const marker of pending) applyDirective(block, marker, problems);
    pending = [];
    if (SHELL_LANGUAGES.has(language) || YAML_LANGUAGES.has(language)) blocks.push(block);
  }
  for (const marker of pending)
    problems.push(`README.md:${marker.line}: doctest marker is not right before a code block`);
  return { blocks, problems };
}

function applyDirective(block: Block, marker: { line: number; text: string }, problems: string[]): void {
  const where = `README.md:${marker.line}`;
  const skip = /^skip\b((?:\s*`[^`]+`)*)\s*(?:\((.*)\))?\s*$/s.exec(marker.text);
  if (skip) {
    const reason = skip[2]?.trim();
    if (!reason) {
      problems.push(`${where}: a doctest skip needs a reason: <!-- doctest: skip (why) -->`);
      return;
    }
    const named = [...skip[1]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!.trim());
    if (named.length === 0) {
      block.skipReason = reason;
      return;
    }
    for (const text of named) {
      if (!block.commands.some((command) => command.text === text))
        problems.push(`${where}: skip names \`${text}\`, which is not a command of the block below`);
      block.skipCommands.push({ text, reason });
    }
    return;
  }
  const setup = /^setup\s+(.+)$/s.exec(marker.text);
  if (setup && SHELL_LANGUAGES.has(block.language)) {
    block.setup.push(setup[1]!);
    return;
  }
  problems.push(
    `${where}: unknown doctest marker "${marker.text}" (skip (reason) | skip \`cmd\` (reason) | setup CMD)`,
  );
}

function commandsOf(lines: string[], consoleBlock: boolean): Command[] {
  const commands: Command[] = [];
  let current: string | undefined;
  for (const raw of lines) {
    if (current !== undefined) {
      current += `\n${raw}`;
    } else {
      const line = consoleBlock ? /^\s*\$ (.*)$/.exec(raw)?.[1] : raw;
      if (line === undefined || line.trim() === '' || line.trim().startsWith('#')) continue;
      current = line;
    }
    if (current.endsWith('\\')) continue;
    commands.push(toCommand(current));
    current = undefined;
  }
  if (current !== undefined) commands.push(toCommand(current));
  return commands;
}

function toCommand(written: string): Command {
  const { code, comment } = splitComment(written);
  const text = code.trim();
  const expectedExit = Number(/^exit (\d+)\b/.exec(comment?.trim() ?? '')?.[1] ?? 0);
  // `npx osiris …` / `npx osiris-etl …` mean "this package's CLI": npx would fetch it from the
  // registry (and outside the clone `npx osiris` is an unrelated package), so the doctest runs the
  // `osiris` shim on the PATH instead, the same CLI without network.
  const run = text.replace(/\bnpx (?:--yes |-y )?osiris(?:-etl)?\b/g, 'osiris');
  return { text, run, expectedExit };
}

/** A command and its trailing `# comment` (a `#` after whitespace, outside quotes). */
function splitComment(line: string): { code: string; comment?: string } {
  let quote: string | undefined;
  for (let at = 0; at < line.length; at++) {
    const char = line[at]!;
    if (quote) {
      if (char === '\\' && quote === '"') at++;
      else if (char === quote) quote = undefined;
    } else if (char === '\\') at++;
    else if (char === "'" || char === '"') quote = char;
    else if (char === '#' && (at === 0 || /\s/.test(line[at - 1]!)))
      return { code: line.slice(0, at), comment: line.slice(at + 1) };
  }
  return { code: line };
}

const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

interface Step {
  label: string;
  run: string;
  expectedExit: number;
}

interface StepResult extends Step {
  exit?: number;
  stdout: string;
  stderr: string;
}

interface Workspace {
  root: string;
  bin: string;
  env: Record<string, string>;
}

/** A folder outside the clone with the `osiris` shim, and the environment of a new user. */
async function makeWorkspace(): Promise<Workspace> {
  const root = realpathSync(await mkdtemp(join(tmpdir(), 'osiris-readme-')));
  const bin = join(root, 'bin');
  await mkdir(bin);
  const shim = join(bin, 'osiris');
  await writeFile(
    shim,
    `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(join(REPO_ROOT, 'bin', 'osiris.js'))} "$@"\n`,
  );
  chmodSync(shim, 0o755);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    // A new user's shell: no Osiris settings, no LLM or E2B keys, no display to open a browser on.
    if (/^(OSIRIS_|E2B_|DISPLAY$|WAYLAND_DISPLAY$|BROWSER$)|_API_KEY$/.test(name)) continue;
    env[name] = value;
  }
  Object.assign(env, {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    // `osiris logs html --open` starts $BROWSER with the report's path: `true` accepts and exits.
    BROWSER: 'true',
  });
  return { root, bin, env };
}

/** Runs the steps in one bash process from `cwd` (also $HOME); stops at the first unexpected exit. */
async function runSteps(
  workspace: Workspace,
  cwd: string,
  steps: Step[],
  extraEnv: Record<string, string> = {},
): Promise<StepResult[]> {
  const logs = await mkdtemp(join(workspace.root, 'logs-'));
  const status = join(logs, 'status');
  const script = ['set -o pipefail', 'exec </dev/null'];
  steps.forEach((step, index) => {
    script.push(
      '{',
      step.run,
      `} >${shellQuote(join(logs, `${index}.out`))} 2>${shellQuote(join(logs, `${index}.err`))}`,
      '__doctest_rc=$?',
      `printf '%s %s\\n' ${index} "$__doctest_rc" >>${shellQuote(status)}`,
      `[ "$__doctest_rc" -eq ${step.expectedExit} ] || exit 0`,
    );
  });
  const scriptFile = join(logs, 'block.sh');
  await writeFile(scriptFile, `${script.join('\n')}\n`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [scriptFile], {
      cwd,
      env: { ...workspace.env, HOME: cwd, ...extraEnv },
      stdio: 'ignore',
      detached: true,
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, BLOCK_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const exits = new Map<number, number>();
  if (existsSync(status))
    for (const row of (await readFile(status, 'utf8')).trim().split('\n')) {
      const [index, code] = row.split(' ').map(Number);
      exits.set(index!, code!);
    }
  const read = async (path: string) => (existsSync(path) ? readFile(path, 'utf8') : '');
  return Promise.all(
    steps.map(async (step, index) => ({
      ...step,
      ...(exits.has(index) ? { exit: exits.get(index)! } : {}),
      stdout: await read(join(logs, `${index}.out`)),
      stderr: await read(join(logs, `${index}.err`)),
    })),
  );
}

const tail = (text: string, lines = 30): string => text.trimEnd().split('\n').slice(-lines).join('\n');

/** Fails with the command, its exit code and its output when a step did not exit as expected. */
function expectSteps(results: StepResult[], where: string): void {
  for (const result of results) {
    if (result.exit === result.expectedExit) continue;
    const outcome =
      result.exit === undefined
        ? `did not finish (stuck for ${BLOCK_TIMEOUT_MS / 1000} s, or an earlier step ended the shell)`
        : `exited ${result.exit}, expected ${result.expectedExit}`;
    expect.fail(
      `${where}: \`${result.label}\` ${outcome}\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`,
    );
  }
}

function stepsOf(block: Block): Step[] {
  const skipped = new Set(block.skipCommands.map((skip) => skip.text));
  return [
    ...block.setup.map((run) => ({ label: `setup: ${run}`, run, expectedExit: 0 })),
    ...block.commands
      .filter((command) => !skipped.has(command.text))
      .map((command) => ({ label: command.text, run: command.run, expectedExit: command.expectedExit })),
  ];
}

/** `$DOCTEST_CONNECTIONS` and the passwords it needs, when both test servers run. */
async function serverEnvironment(workspace: Workspace): Promise<Record<string, string> | string> {
  const servers = getTestServers();
  const { mysql, postgres } = servers;
  if (!mysql || !postgres) return `no test servers: ${Object.values(servers.unavailable).join('; ')}`;
  const file = join(workspace.root, 'test-servers', 'osiris_connections.yaml');
  await mkdir(join(workspace.root, 'test-servers'), { recursive: true });
  const entry = (facts: typeof mysql, variable: string) =>
    `      default: true
      host: ${facts.host}
      port: ${facts.port}
      user: ${facts.user}
      password: \${${variable}}
      database: ${facts.database}`;
  await writeFile(
    file,
    `version: 1
connections:
  mysql:
    movies:
${entry(mysql, 'MYSQL_PASSWORD')}
  postgres:
    movies:
${entry(postgres, 'PG_PASSWORD')}
`,
  );
  return { DOCTEST_CONNECTIONS: file, MYSQL_PASSWORD: mysql.password, PG_PASSWORD: postgres.password };
}

async function runShellBlock(workspace: Workspace, block: Block, where: string): Promise<'ran' | 'skipped'> {
  let extraEnv: Record<string, string> = {};
  if (block.setup.some((setup) => setup.includes('DOCTEST_CONNECTIONS'))) {
    const servers = await serverEnvironment(workspace);
    if (typeof servers === 'string') {
      if (process.env.CI === 'true') expect.fail(`${where} needs the test servers: ${servers}`);
      return 'skipped';
    }
    extraEnv = servers;
  }
  const cwd = await mkdtemp(join(workspace.root, `block-${block.line}-`));
  expectSteps(await runSteps(workspace, cwd, stepsOf(block), extraEnv), where);
  return 'ran';
}

async function checkYamlBlock(workspace: Workspace, block: Block, where: string): Promise<void> {
  const document = parseYaml(block.body) as Record<string, unknown> | null;
  expect(document, `${where}: the yaml block is empty`).toBeTypeOf('object');
  if (document && 'oml_version' in document) {
    // A pipeline: valid in a demo project, where the README's `@duckdb.movies` exists.
    const project = await demoProject(workspace);
    const file = `pipelines/readme-line-${block.line}.yaml`;
    await writeFile(join(project, file), block.body);
    expectSteps(
      await runSteps(workspace, project, [
        { label: `osiris validate ${file}`, run: `osiris validate ${file}`, expectedExit: 0 },
      ]),
      where,
    );
    return;
  }
  if (document && 'connections' in document) {
    const cwd = await mkdtemp(join(workspace.root, `connections-${block.line}-`));
    await writeFile(join(cwd, 'osiris_connections.yaml'), block.body);
    const [list] = await runSteps(workspace, cwd, [
      { label: 'osiris connections list --json', run: 'osiris connections list --json', expectedExit: 0 },
    ]);
    expectSteps([list!], where);
    const listed = (JSON.parse(list!.stdout) as { connections: { ref: string }[] }).connections.map(
      (connection) => connection.ref,
    );
    const written = Object.entries(document.connections as Record<string, Record<string, unknown>>).flatMap(
      ([family, aliases]) => Object.keys(aliases).map((alias) => `@${family}.${alias}`),
    );
    expect(listed.sort(), where).toEqual(written.sort());
    return;
  }
  if (document && 'agent' in document) {
    // osiris.yaml's agent section: it resolves to the models it names, with every key present.
    const project = await mkdtemp(join(workspace.root, `agent-${block.line}-`));
    await writeFile(join(project, 'osiris.yaml'), block.body);
    const keys: Record<string, string> = { [GENERIC_KEY_VARIABLE]: 'doctest-key' };
    for (const preset of Object.values(PROVIDER_PRESETS))
      if (preset.keyVariable) keys[preset.keyVariable] = 'doctest-key';
    const settings = resolveAgentSettings({ projectDir: project, env: keys });
    const agent = document.agent as {
      provider: string;
      model: string;
      fallback?: { provider: string; model: string };
    };
    expect(settings?.primary, where).toMatchObject({ label: agent.provider, model: agent.model });
    if (agent.fallback)
      expect(settings?.fallback, where).toMatchObject({
        label: agent.fallback.provider,
        model: agent.fallback.model,
      });
    expect(settings?.warnings, where).toEqual([]);
    // The providers the comment lists (`# openai | anthropic | …`) are the ones Osiris knows.
    const listedProviders = /provider:.*#\s*(.+)$/m
      .exec(block.body)?.[1]
      ?.split('|')
      .map((name) => name.trim());
    for (const name of listedProviders ?? [])
      expect(PROVIDER_NAMES, `${where}: provider ${name}`).toContain(name);
    return;
  }
  expect.fail(`${where}: a yaml block the doctest cannot check; mark it <!-- doctest: skip (reason) -->`);
}

let demoProjectDir: Promise<string> | undefined;
/** One demo project (created by `osiris demo`) in which the README's pipelines are validated. */
function demoProject(workspace: Workspace): Promise<string> {
  demoProjectDir ??= (async () => {
    const cwd = await mkdtemp(join(workspace.root, 'pipelines-'));
    expectSteps(
      await runSteps(workspace, cwd, [
        { label: 'osiris demo project', run: 'osiris demo project', expectedExit: 0 },
      ]),
      'demo project for the README pipelines',
    );
    return join(cwd, 'project');
  })();
  return demoProjectDir;
}

const readme = parseReadme(readFileSync(README, 'utf8'));
let workspace: Workspace;
/** Top-level entries of the clone before the doctest, to prove it writes nothing there. */
let cloneBefore: Set<string>;

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  cloneBefore = new Set(readdirSync(REPO_ROOT));
  workspace = await makeWorkspace();
});

afterAll(async () => {
  if (workspace) await rm(workspace.root, { recursive: true, force: true });
});

describe('README.md doctest', () => {
  it('every doctest marker is well-formed, attached to a block, and every skip says why', () => {
    expect(readme.problems).toEqual([]);
    expect(readme.blocks.filter((block) => block.commands.length > 0).length).toBeGreaterThan(0);
  });

  for (const block of readme.blocks) {
    const where = `README.md:${block.line}`;
    const title = `${where} \`\`\`${block.language} under "${block.heading}"`;
    if (block.skipReason) {
      it.skip(`${title} (skipped: ${block.skipReason})`, () => {});
      continue;
    }
    const partly =
      block.skipCommands.length > 0
        ? ` (not run: ${block.skipCommands.map((skip) => skip.text).join(', ')})`
        : '';
    it(
      `${title}${partly}`,
      async (context) => {
        if (YAML_LANGUAGES.has(block.language)) {
          await checkYamlBlock(workspace, block, where);
          return;
        }
        if ((await runShellBlock(workspace, block, where)) === 'skipped') context.skip();
      },
      2 * BLOCK_TIMEOUT_MS,
    );
  }

  it('leaves no files in the clone', () => {
    const mentioned = readme.blocks
      .flatMap((block) => block.commands.map((command) => command.text))
      .join(' ');
    const added = readdirSync(REPO_ROOT).filter(
      // Only names the README's commands could create: other work in the tree may add files meanwhile.
      (name) =>
        !cloneBefore.has(name) &&
        new RegExp(`(^|[\\s/])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(mentioned),
    );
    expect(added).toEqual([]);
  });
});

describe('the doctest runner itself', () => {
  it('fails a block at the first command that exits otherwise than the README says, and honours `# exit N`', async () => {
    const { blocks, problems } = parseReadme(
      [
        '```bash',
        'osiris --version',
        'osiris validate missing.yaml   # exit 2: no such file',
        'osiris no-such-command         # a broken command',
        'osiris --version',
        '```',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    const cwd = await mkdtemp(join(workspace.root, 'self-test-'));
    const results = await runSteps(workspace, cwd, stepsOf(blocks[0]!));
    expect(results.map((result) => result.exit)).toEqual([0, 2, expect.any(Number), undefined]);
    expect(results[2]!.exit).not.toBe(0);
    expect(() => expectSteps(results, 'synthetic')).toThrow(
      /`osiris no-such-command` exited \d+, expected 0/,
    );
  });

  it('rejects a skip without a reason, a stale skip, an unknown marker and a marker far from any block', () => {
    const { problems } = parseReadme(
      [
        '<!-- doctest: skip -->',
        '```bash',
        'osiris demo',
        '```',
        '<!-- doctest: skip `osiris gone` (renamed) -->',
        '```bash',
        'osiris demo',
        '```',
        '<!-- doctest: maybe -->',
        '```bash',
        'osiris demo',
        '```',
        '<!-- doctest: skip (orphan) -->',
        'Some prose.',
      ].join('\n'),
    );
    expect(problems).toEqual([
      expect.stringContaining('README.md:1: a doctest skip needs a reason'),
      expect.stringContaining('README.md:5: skip names `osiris gone`'),
      expect.stringContaining('README.md:9: unknown doctest marker'),
      expect.stringContaining('README.md:13: doctest marker is not right before a code block'),
    ]);
  });

  it('reads console blocks, continuations, comments and npx, and skips only the named commands', () => {
    const { blocks } = parseReadme(
      [
        '<!-- doctest: skip `npm ci` (installs) -->',
        '```console',
        '$ npm ci',
        'added 1 package',
        '$ npx osiris-etl demo \\',
        '    my-demo   # exit 0',
        '$ echo "a # b" # not a comment inside quotes',
        '```',
      ].join('\n'),
    );
    expect(stepsOf(blocks[0]!).map((step) => step.run)).toEqual([
      'osiris demo \\\n    my-demo',
      'echo "a # b"',
    ]);
  });

  it('`setup` with $DOCTEST_CONNECTIONS reaches the test servers', async (context) => {
    const { blocks } = parseReadme(
      [
        '<!-- doctest: setup cp "$DOCTEST_CONNECTIONS" osiris_connections.yaml -->',
        '```bash',
        'osiris connections doctor @mysql.movies',
        'osiris connections doctor @postgres.movies',
        '```',
      ].join('\n'),
    );
    if ((await runShellBlock(workspace, blocks[0]!, 'synthetic servers block')) === 'skipped') context.skip();
  });
});
