import pc from 'picocolors';
import type { RunEvent } from '../../spec/events.js';
import type { ChatEvent } from '../chat-events.js';
import { formatProposal } from './format-proposal.js';
import { formatRunSummary } from './format-run-summary.js';

/** What renders a run's progress (the CLI's RunProgress fits). */
export interface RunProgressView {
  start(): void;
  stop(): void;
  event(event: RunEvent): void;
  progress(stepId: string, rows: number): void;
}

interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface TerminalRendererOptions {
  /** The answer, proposals and run summaries. */
  stdout: Output;
  /** Status lines, notices and progress, so a script can take the answer from stdout alone. */
  stderr: Output;
  /** Show state changes too. */
  verbose?: boolean;
  runProgress?: RunProgressView;
}

/**
 * Chat events as terminal text. Tool calls become one status line each ("discovering
 * @mysql.movies… 5 tables"): on a terminal the line appears when the call starts and is
 * completed in place when it ends; elsewhere it is printed once, complete.
 */
export class TerminalRenderer {
  readonly #options: TerminalRendererOptions;
  readonly #tty: boolean;
  /** The tool whose start line is on screen without its end. */
  #openTool: string | undefined;
  #textStarted = false;
  #runActive = false;

  constructor(options: TerminalRendererOptions) {
    this.#options = options;
    this.#tty = Boolean(options.stderr.isTTY) && process.env.TERM !== 'dumb';
  }

  readonly listener = (event: ChatEvent): void => {
    switch (event.type) {
      case 'text-delta':
        this.#closeToolLine();
        if (!this.#textStarted) this.#textStarted = true;
        this.#options.stdout.write(event.text);
        break;
      case 'text-end':
        if (this.#textStarted) this.#options.stdout.write('\n');
        this.#textStarted = false;
        break;
      case 'tool-start':
        this.#endText();
        this.#closeToolLine();
        if (this.#tty) {
          this.#options.stderr.write(`${pc.dim('…')} ${pc.dim(`${event.label}…`)}`);
          this.#openTool = event.id;
        }
        break;
      case 'tool-end': {
        const mark = event.ok ? pc.green('✔') : pc.red('✖');
        const line = `${mark} ${event.label}… ${event.ok ? event.summary : pc.red(event.summary)}`;
        if (this.#tty && this.#openTool === event.id) this.#options.stderr.write(`\r\u001b[2K${line}\n`);
        else {
          this.#closeToolLine();
          this.#options.stderr.write(`${line}\n`);
        }
        this.#openTool = undefined;
        break;
      }
      case 'state':
        if (this.#options.verbose) this.#line(this.#options.stderr, pc.dim(`[${event.from} → ${event.to}]`));
        break;
      case 'proposal':
        this.#endText();
        this.#closeToolLine();
        this.#options.stdout.write(`\n${formatProposal(event.proposal)}\n\n`);
        break;
      case 'notice':
        this.#endText();
        this.#line(this.#options.stderr, formatNotice(event));
        break;
      case 'run-event':
        this.#closeToolLine();
        if (!this.#runActive) {
          this.#runActive = true;
          this.#options.runProgress?.start();
        }
        this.#options.runProgress?.event(event.event);
        break;
      case 'run-progress':
        this.#options.runProgress?.progress(event.stepId, event.rows);
        break;
      case 'run-summary':
        this.#stopRun();
        this.#options.stdout.write(`${formatRunSummary(event.summary)}\n`);
        break;
    }
  };

  /** End whatever is half-drawn (a cancelled turn can stop between events). */
  finish(): void {
    this.#stopRun();
    this.#endText();
    this.#closeToolLine();
  }

  #stopRun(): void {
    if (this.#runActive) this.#options.runProgress?.stop();
    this.#runActive = false;
  }

  #endText(): void {
    if (this.#textStarted) this.#options.stdout.write('\n');
    this.#textStarted = false;
  }

  #closeToolLine(): void {
    if (this.#openTool !== undefined) this.#options.stderr.write('\n');
    this.#openTool = undefined;
  }

  #line(output: Output, text: string): void {
    this.#closeToolLine();
    output.write(`${text}\n`);
  }
}

function formatNotice(event: Extract<ChatEvent, { type: 'notice' }>): string {
  const mark =
    event.level === 'error'
      ? pc.red('error')
      : event.level === 'warning'
        ? pc.yellow('warning')
        : event.level === 'success'
          ? pc.green('✔')
          : pc.dim('·');
  const hint = event.hint ? `\n  ${pc.cyan('hint:')} ${event.hint.split('\n').join('\n  ')}` : '';
  return `${mark} ${event.text}${hint}`;
}
