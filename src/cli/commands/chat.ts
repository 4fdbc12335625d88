import { join } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { OpenChat, OpenChatOptions, TurnResult } from '../../agent/index.js';
import { type ErrorCode, ErrorCodes, OsirisError } from '../../spec/errors.js';
import { cancelOnSignal } from '../cancel-on-signal.js';
import { action, exitCodeFor, printResult } from '../output.js';

interface ChatOptions {
  session?: string;
  new?: boolean;
  provider?: string;
  model?: string;
  baseUrl?: string;
  connection?: string;
  yes?: boolean;
  proMode?: boolean;
  json?: boolean;
  verbose?: boolean;
  samples?: boolean;
}

export function registerChat(program: Command): void {
  const chat = program
    .command('chat')
    .description(
      'Talk to the Osiris agent: it discovers your data, answers, and proposes pipelines that run only after you approve.',
    )
    .argument(
      '[message...]',
      'one message: continue the last session, print the answer and exit (no message: interactive)',
    )
    .option('--session <id>', 'continue this session instead of the most recent one')
    .option('--new', 'start a new session')
    .option(
      '--provider <name>',
      'openai | anthropic | google | ollama | lmstudio | vllm | openrouter | openai-compatible',
    )
    .option('--model <name>', 'model name, e.g. gpt-4o-mini, claude-sonnet-4-5, llama3.1')
    .option(
      '--base-url <url>',
      'endpoint of an OpenAI-compatible server (Ollama, vLLM, LM Studio, a gateway)',
    )
    .option('--connection <ref>', 'connection SQL: mode queries (default: the default connection)')
    .option('-y, --yes', 'approve proposed pipelines without asking (recorded in the session)')
    .option('--pro-mode', 'use the custom prompts in .osiris/prompts/ (see osiris prompts)')
    .option('--no-samples', 'never send row samples of past runs to the model (run questions)')
    .option('--json', 'one-shot only: print the turn (answer, proposal, run) as JSON')
    .option('-v, --verbose', 'also show state changes; show stack traces')
    .addHelpText(
      'after',
      `
Examples:
  $ osiris chat                                      interactive session (continues the last one)
  $ osiris chat "find director Ava DuVernay"          one message, answer printed, then exit
  $ osiris chat "approve"                             approve the pipeline the last message proposed
  $ osiris chat "SQL: SELECT title FROM movies"       pipeline from SQL, no model needed
  $ osiris chat "FAST: top 10 movies by rating to CSV" --yes
  $ osiris chat "why did the last run fail?"          reads the run's evidence, may propose a fix
  $ osiris chat --provider ollama --model llama3.1    a local model
  $ osiris chat sessions                              list sessions

The model comes from --provider/--model, OSIRIS_LLM_PROVIDER/OSIRIS_LLM_MODEL, \`agent:\` in osiris.yaml,
or the first of OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_GENERATIVE_AI_API_KEY that is set
(CLAUDE_API_KEY and GEMINI_API_KEY are read as ANTHROPIC_API_KEY and GOOGLE_GENERATIVE_AI_API_KEY).
Sessions live in .osiris/sessions.db. Exit codes: 0 ok, 1 provider/internal error, 2 invalid input
or no provider, 3 the approved pipeline failed, 130 interrupted.`,
    )
    .action(action(async (words: string[], options: ChatOptions) => chatCommand(words, options)));

  chat
    .command('sessions')
    .description('List chat sessions, most recent first.')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ osiris chat sessions\n  $ osiris chat --session chat-20250101-120000-ab12 "continue"',
    )
    // `--json` is also a `chat` option, so commander may hand it to the parent: read both levels.
    .action(
      action(async (_options: unknown, command: Command) =>
        sessionsCommand(command.optsWithGlobals<{ limit: string; json?: boolean }>()),
      ),
    );
}

async function chatCommand(words: string[], options: ChatOptions): Promise<number> {
  if (options.new && options.session) {
    throw new OsirisError(ErrorCodes.USAGE, 'Give either --new or --session, not both.');
  }
  const message = words.join(' ').trim();
  const agent = await import('../../agent/index.js');
  const { RunProgress } = await import('../progress.js');
  const renderer =
    options.json === true && message
      ? undefined
      : new agent.TerminalRenderer({
          stdout: process.stdout,
          stderr: process.stderr,
          ...(options.verbose ? { verbose: true } : {}),
          runProgress: new RunProgress(process.stderr, { prefix: '  ' }),
        });
  const open = (choice: { newSession?: boolean; sessionId?: string }) =>
    agent.openChat(openOptions(options, choice, renderer?.listener));

  if (!message) {
    const { runChatRepl } = await import('../../agent/repl/chat-repl.js');
    const { findProjectDir } = await import('../../project/find-project-dir.js');
    return runChatRepl({
      open,
      input: process.stdin,
      output: process.stdout,
      errorOutput: process.stderr,
      historyFile: join(findProjectDir(process.cwd(), process.env), '.osiris', 'chat_history'),
      afterTurn: () => renderer?.finish(),
      ...(options.new ? { newSession: true } : {}),
      ...(options.session ? { sessionId: options.session } : {}),
    });
  }

  const chat = await open({
    ...(options.new ? { newSession: true } : {}),
    ...(options.session ? { sessionId: options.session } : {}),
  });
  const controller = new AbortController();
  const uninstallCancel = cancelOnSignal(controller);
  try {
    const turn = await chat.agent.send(message, { signal: controller.signal });
    renderer?.finish();
    if (options.json) printTurn(turn);
    else printNextStep(chat, turn);
    return exitCodeForTurn(turn);
  } finally {
    uninstallCancel();
    chat.close();
  }
}

function openOptions(
  options: ChatOptions,
  choice: { newSession?: boolean; sessionId?: string },
  onEvent: OpenChatOptions['onEvent'],
): OpenChatOptions {
  const flags = {
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  };
  return {
    cwd: process.cwd(),
    env: process.env,
    flags,
    ...(choice.newSession ? { newSession: true } : {}),
    ...(choice.sessionId ? { sessionId: choice.sessionId } : {}),
    ...(onEvent ? { onEvent } : {}),
    ...(options.yes ? { autoApprove: true } : {}),
    ...(options.connection ? { sqlConnection: options.connection } : {}),
    ...(options.proMode ? { proMode: true } : {}),
    ...(options.samples === false ? { samples: false } : {}),
  };
}

/** One line on stderr after a one-shot turn: which session, and what the user can say next. */
function printNextStep(chat: OpenChat, turn: TurnResult): void {
  const next =
    turn.proposal !== undefined
      ? `osiris chat "approve"  (or "reject", or say what to change)`
      : turn.outcome === 'failed' && chat.session.interruptedTurn
        ? 'osiris chat "retry"'
        : 'osiris chat "…"';
  process.stderr.write(pc.dim(`session ${turn.sessionId} · ${turn.state} · next: ${next}\n`));
}

/** A turn in the `--json` envelope: not ok when it failed, was cancelled or its run failed. */
function printTurn(turn: TurnResult): void {
  const { error, ...rest } = turn;
  const ok = exitCodeForTurn(turn) === 0;
  const fallback = {
    cancelled: ErrorCodes.CANCELLED,
    'not-configured': ErrorCodes.PROVIDER_NOT_CONFIGURED,
  }[turn.outcome as string];
  printResult(
    rest,
    ok
      ? undefined
      : (error ?? { code: fallback ?? ErrorCodes.STEP_FAILED, message: `The turn ended ${turn.outcome}.` }),
  );
}

function exitCodeForTurn(turn: TurnResult): number {
  switch (turn.outcome) {
    case 'cancelled':
      return 130;
    case 'run-failed':
      return 3;
    case 'not-configured':
      return 2;
    case 'failed':
      // The turn's error was already shown; only its code decides between input (2) and failure (1).
      return exitCodeFor(
        new OsirisError((turn.error?.code ?? ErrorCodes.INTERNAL) as ErrorCode, turn.error?.message ?? ''),
      );
    default:
      return 0;
  }
}

async function sessionsCommand(options: { limit: string; json?: boolean }): Promise<number> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new OsirisError(ErrorCodes.USAGE, '--limit must be a positive whole number.');
  const { SessionStore } = await import('../../agent/session/session-store.js');
  const { formatSessionList } = await import('../../agent/render/format-session-list.js');
  const { findProjectDir } = await import('../../project/find-project-dir.js');
  const store = await SessionStore.open(findProjectDir(process.cwd(), process.env));
  try {
    const sessions = store.list(limit);
    if (options.json) printResult({ sessions });
    else process.stdout.write(`${formatSessionList(sessions)}\n`);
    return 0;
  } finally {
    store.close();
  }
}
