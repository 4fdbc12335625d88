import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import pc from 'picocolors';
import { writeFileAtomic } from '../../util/atomic-file.js';
import type { OpenChat } from '../open-chat.js';
import { describeModel } from '../provider/create-language-model.js';
import { providerSetupText } from '../provider/provider-help.js';
import { formatProposal } from '../render/format-proposal.js';
import { formatSessionList } from '../render/format-session-list.js';
import { MultilineInput } from './multiline-input.js';

/** Lines of input history kept between REPL sessions. */
const HISTORY_LINES = 500;

interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ChatReplOptions {
  /** Opens the chat to talk in: the last session, a given one, or a new one. */
  open(choice: { newSession?: boolean; sessionId?: string }): Promise<OpenChat>;
  input: Readable & { isTTY?: boolean };
  output: Output;
  errorOutput: Output;
  /** Where typed lines are remembered (`.osiris/chat_history`); none when absent. */
  historyFile?: string;
  /** Called when a turn ends, so the renderer can finish half-drawn lines. */
  afterTurn?(): void;
  newSession?: boolean;
  sessionId?: string;
}

const HELP = `Type a request in plain words, e.g. "find director Ava DuVernay" or "export the top rated movies to CSV".
  SQL: SELECT …     build a pipeline from your SQL (no model involved)
  FAST: …           ask the model to assume instead of asking questions
  approve / reject  decide on the proposed pipeline (or say what to change)
  retry             send the last message again after a provider error
  a line ending in \\ continues on the next line; """ starts and ends a multi-line block
Commands: /show (the pending pipeline)  /status  /sessions  /session ID  /new  /help  /exit
Keys: Ctrl-C cancels the current turn, Ctrl-D exits.`;

/**
 * The interactive chat: one message per turn, turns one at a time, the session saved after each.
 * Ctrl-C cancels the turn in progress (or clears a half-typed message); Ctrl-D leaves.
 */
export async function runChatRepl(options: ChatReplOptions): Promise<number> {
  let chat = await options.open({
    ...(options.newSession ? { newSession: true } : {}),
    ...(options.sessionId ? { sessionId: options.sessionId } : {}),
  });
  const terminal = Boolean(options.input.isTTY && options.output.isTTY);
  const say = (text: string) => options.errorOutput.write(`${text}\n`);
  say(banner(chat));

  const rl = createInterface({
    input: options.input,
    output: options.output as NodeJS.WritableStream,
    terminal,
    history: terminal ? readHistory(options.historyFile) : [],
    historySize: HISTORY_LINES,
  });
  let saving = Promise.resolve();
  if (terminal && options.historyFile) {
    const file = options.historyFile;
    rl.on('history', (history: string[]) => {
      saving = saving
        .then(() => writeFileAtomic(file, `${[...history].reverse().join('\n')}\n`))
        .catch(() => {});
    });
  }

  const multiline = new MultilineInput();
  let running: AbortController | undefined;
  const prompt = () => {
    const pending = chat.session.proposal?.status === 'pending';
    rl.setPrompt(
      multiline.pending
        ? pc.dim('… ')
        : pending
          ? `${pc.yellow('approve / reject / changes')} ${pc.bold('›')} `
          : `${pc.bold('you ›')} `,
    );
    rl.prompt();
  };
  const interrupt = () => {
    if (running) {
      running.abort();
      say(pc.yellow('cancelling the current turn…'));
    } else if (multiline.pending) {
      multiline.clear();
      options.output.write('\n');
      prompt();
    } else {
      say(`\n${pc.dim('(Ctrl-D or /exit to leave)')}`);
      prompt();
    }
  };
  rl.on('SIGINT', interrupt);
  const onProcessSigint = () => (running ? interrupt() : rl.close());
  if (!terminal) process.on('SIGINT', onProcessSigint);

  prompt();
  try {
    for await (const line of rl) {
      const message = multiline.push(line);
      if (message === undefined) {
        prompt();
        continue;
      }
      const text = message.trim();
      if (text.length === 0) {
        prompt();
        continue;
      }
      if (text.startsWith('/')) {
        const command = await runCommand(text, chat, options, say);
        if (command === 'exit') break;
        if (command && typeof command === 'object') {
          chat.close();
          chat = command;
          say(banner(chat));
        }
        prompt();
        continue;
      }
      running = new AbortController();
      try {
        await chat.agent.send(text, { signal: running.signal });
      } catch (error) {
        // A bug in one turn must not end the conversation: the session is saved turn by turn.
        say(`${pc.red('internal error')} ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        running = undefined;
        options.afterTurn?.();
      }
      prompt();
    }
  } finally {
    if (!terminal) process.off('SIGINT', onProcessSigint);
    rl.close();
    await saving;
    say(pc.dim(`session ${chat.session.id} saved; continue with: osiris chat --session ${chat.session.id}`));
    chat.close();
  }
  return 0;
}

async function runCommand(
  text: string,
  chat: OpenChat,
  options: ChatReplOptions,
  say: (text: string) => void,
): Promise<'exit' | OpenChat | undefined> {
  const [command = '', argument] = text.split(/\s+/, 2);
  switch (command) {
    case '/exit':
    case '/quit':
      return 'exit';
    case '/help':
      say(HELP);
      return undefined;
    case '/new':
      return options.open({ newSession: true });
    case '/session':
      if (!argument) {
        say('usage: /session ID (see /sessions)');
        return undefined;
      }
      return options.open({ sessionId: argument });
    case '/sessions':
      say(formatSessionList(chat.store.list(20), chat.session.id));
      return undefined;
    case '/show': {
      const proposal = chat.session.proposal;
      if (proposal?.status === 'pending') options.output.write(`${formatProposal(proposal)}\n`);
      else say('No pipeline is waiting for approval.');
      return undefined;
    }
    case '/status':
      say(status(chat));
      return undefined;
    default:
      say(`unknown command ${command}; /help lists them`);
      return undefined;
  }
}

function banner(chat: OpenChat): string {
  const lines = [`${pc.bold('Osiris chat')} ${pc.dim('— /help for help, Ctrl-D to exit')}`, status(chat)];
  if (!chat.settings) {
    lines.push(
      chat.settingsError
        ? `${pc.yellow('model:')} ${chat.settingsError.message}${chat.settingsError.hint ? ` (${chat.settingsError.hint})` : ''}`
        : `${pc.yellow('No LLM provider is configured.')} ${providerSetupText(chat.projectDir)}`,
    );
  }
  for (const warning of chat.settings?.warnings ?? []) lines.push(`${pc.yellow('warning')} ${warning}`);
  return lines.join('\n');
}

function status(chat: OpenChat): string {
  const session = chat.session;
  const model = chat.settings
    ? describeModel(chat.settings.primary)
    : 'none configured (SQL: mode and approvals still work)';
  const pending =
    session.proposal?.status === 'pending' ? `, pipeline ${session.proposal.name} awaits approval` : '';
  const how = chat.resumed ? 'continuing session' : 'new session';
  return `${pc.dim(`${how} ${session.id} (${session.state}${pending}) · model ${model}`)}`;
}

function readHistory(file: string | undefined): string[] {
  if (!file || !existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .slice(-HISTORY_LINES)
    .reverse();
}
