import pc from 'picocolors';
import type { RunEvent } from '../spec/events.js';

interface LiveStep {
  id: string;
  rows: number;
  startedAt: number;
  /** Rows the step expects to move, when its source can tell. */
  totalRows?: number;
  reported?: boolean;
}

/**
 * What the user sees while a run works. On a terminal one line per running step is redrawn in
 * place (step, rows so far, rows/s, elapsed); otherwise each step start and end is a plain line.
 */
export class RunProgress {
  readonly #stream: NodeJS.WriteStream;
  readonly #live = new Map<string, LiveStep>();
  readonly #tty: boolean;
  readonly #prefix: string;
  #drawnLines = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(stream: NodeJS.WriteStream = process.stderr, options: { prefix?: string } = {}) {
    this.#stream = stream;
    this.#tty = Boolean(stream.isTTY) && process.env.TERM !== 'dumb' && !process.env.CI;
    this.#prefix = options.prefix ?? '';
  }

  start(): void {
    // Unref'd: a redraw timer must not keep a run's process alive, or the runner's stall guard
    // (which fires when nothing else is left to wait for) could never report a stuck step.
    if (this.#tty) this.#timer = setInterval(() => this.#draw(), 120).unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#clear();
  }

  progress(stepId: string, rows: number, totalRows?: number): void {
    const step = this.#live.get(stepId);
    if (!step) return;
    step.rows = rows;
    const firstTotal = totalRows !== undefined && totalRows > 0 && step.totalRows === undefined;
    if (firstTotal) step.totalRows = totalRows;
    // The first report of a step is drawn at once, so even a fast step shows what it moves.
    if (firstTotal || !step.reported) this.#draw();
    step.reported = true;
  }

  event(event: RunEvent): void {
    const stepId = typeof event.step_id === 'string' ? event.step_id : undefined;
    switch (event.event) {
      case 'step_start':
        if (stepId) this.#live.set(stepId, { id: stepId, rows: 0, startedAt: Date.now() });
        if (!this.#tty) this.#line(`${pc.dim('▶')} ${stepId} ${pc.dim(String(event.component ?? ''))}`);
        break;
      case 'step_complete':
        if (stepId) this.#live.delete(stepId);
        this.#line(
          `${pc.green('✔')} ${stepId}  ${formatCount(Number(event.rows ?? 0))} rows  ${pc.dim(formatDuration(Number(event.duration_ms ?? 0)))}`,
        );
        break;
      case 'step_failed':
        if (stepId) this.#live.delete(stepId);
        // A step stopped because of another step's failure (or a Ctrl-C) is not a second failure.
        if (event.error_code === 'E_CANCELLED') {
          this.#line(`${pc.yellow('■')} ${stepId}  ${String(event.message ?? '')}`);
          break;
        }
        this.#line(
          `${pc.red('✖')} ${stepId}  ${pc.red(String(event.error_code ?? ''))} ${String(event.message ?? '')}`,
        );
        if (typeof event.hint === 'string') this.#line(`    ${pc.cyan('hint:')} ${event.hint}`);
        break;
      case 'step_skipped':
        this.#line(
          `${pc.yellow('↷')} ${stepId}  skipped: upstream step '${String(event.upstream ?? '')}' did not succeed`,
        );
        break;
      default:
        break;
    }
  }

  #line(text: string): void {
    this.#clear();
    this.#stream.write(`${this.#prefix}${text}\n`);
    this.#draw();
  }

  #clear(): void {
    if (!this.#tty || this.#drawnLines === 0) return;
    this.#stream.write(`\x1b[${this.#drawnLines}A\x1b[0J`);
    this.#drawnLines = 0;
  }

  #draw(): void {
    if (!this.#tty) return;
    this.#clear();
    const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
    const frame = frames[Math.floor(Date.now() / 100) % frames.length];
    const lines = [...this.#live.values()].map((step) => {
      const elapsed = Date.now() - step.startedAt;
      const rate = elapsed > 0 ? Math.round((step.rows * 1000) / elapsed) : 0;
      return `${pc.cyan(frame ?? '')} ${step.id}  ${formatCount(step.rows)} rows${estimateText(step, rate)}  ${pc.dim(`${formatCount(rate)} rows/s  ${formatDuration(elapsed)}`)}`;
    });
    if (lines.length === 0) return;
    this.#stream.write(`${lines.join('\n')}\n`);
    this.#drawnLines = lines.length;
  }
}

/** ` of 1,200 (42%, 3.1 s left)` when the step's total is known; nothing otherwise. */
export function estimateText(step: { rows: number; totalRows?: number }, rowsPerSecond: number): string {
  if (!step.totalRows) return '';
  const percent = Math.min(100, Math.floor((step.rows / step.totalRows) * 100));
  const left = Math.max(0, step.totalRows - step.rows);
  const eta =
    rowsPerSecond > 0 && left > 0
      ? `, ${formatDuration(Math.round((left / rowsPerSecond) * 1000))} left`
      : '';
  return ` of ${formatCount(step.totalRows)} (${percent}%${eta})`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}
