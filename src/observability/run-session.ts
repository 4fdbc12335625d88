import { createWriteStream, type WriteStream } from 'node:fs';
import { cp, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { EventName, MetricRecord, RunEvent, RunStatusFile } from '../spec/events.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import type { Redactor } from './redaction.js';

export interface RunSessionOptions {
  runId: string;
  /** `.osiris/runs` of the project. */
  runsDir: string;
  redactor: Redactor;
  /** Compiled build dir whose manifest.yaml and cfg/ are copied into the session. */
  buildDir?: string;
}

/**
 * The files a run leaves behind: events.jsonl, metrics.jsonl, manifest copy, cfg/, artifacts/,
 * status.json. Every line goes through the redactor before it touches the disk.
 */
export class RunSession {
  readonly runId: string;
  readonly dir: string;
  readonly #redactor: Redactor;
  readonly #events: WriteStream;
  readonly #metrics: WriteStream;
  readonly #listeners: Array<(event: RunEvent) => void> = [];
  readonly #metricListeners: Array<(metric: MetricRecord) => void> = [];
  #closed = false;

  private constructor(options: RunSessionOptions, dir: string) {
    this.runId = options.runId;
    this.dir = dir;
    this.#redactor = options.redactor;
    this.#events = createWriteStream(join(dir, 'events.jsonl'), { flags: 'a', mode: 0o600 });
    this.#metrics = createWriteStream(join(dir, 'metrics.jsonl'), { flags: 'a', mode: 0o600 });
  }

  static async create(options: RunSessionOptions): Promise<RunSession> {
    const dir = join(options.runsDir, options.runId);
    await mkdir(join(dir, 'artifacts'), { recursive: true });
    if (options.buildDir) {
      await cp(join(options.buildDir, 'manifest.yaml'), join(dir, 'manifest.yaml'));
      await copyConfigsRedacted(join(options.buildDir, 'cfg'), join(dir, 'cfg'), options.redactor);
    }
    return new RunSession(options, dir);
  }

  artifactsDir(stepId: string): string {
    return join(this.dir, 'artifacts', stepId);
  }

  onEvent(listener: (event: RunEvent) => void): void {
    this.#listeners.push(listener);
  }

  onMetric(listener: (metric: MetricRecord) => void): void {
    this.#metricListeners.push(listener);
  }

  /** Record an event; `ts` and `run_id` are filled in unless the event already carries them. */
  event(name: EventName, fields: Record<string, unknown> = {}): RunEvent {
    const event = this.#redactor.value({
      ts: new Date().toISOString(),
      run_id: this.runId,
      event: name,
      ...fields,
    }) as RunEvent;
    if (!this.#closed) this.#events.write(`${JSON.stringify(event)}\n`);
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  metric(record: Omit<MetricRecord, 'ts' | 'run_id'> & { ts?: string }): MetricRecord {
    const metric = this.#redactor.value({
      ts: new Date().toISOString(),
      run_id: this.runId,
      ...record,
    }) as MetricRecord;
    if (!this.#closed) this.#metrics.write(`${JSON.stringify(metric)}\n`);
    for (const listener of this.#metricListeners) listener(metric);
    return metric;
  }

  async artifactSize(path: string): Promise<number> {
    return (await stat(path)).size;
  }

  relativePath(path: string): string {
    return relative(this.dir, path);
  }

  async writeStatus(status: RunStatusFile): Promise<void> {
    const safe = this.#redactor.value(status);
    await writeFileAtomic(join(this.dir, 'status.json'), `${JSON.stringify(safe, null, 2)}\n`, 0o600);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([endStream(this.#events), endStream(this.#metrics)]);
  }
}

/**
 * Step configs never hold resolved secrets, but a user may still have typed a literal one:
 * the session's copy goes through the same redaction as every event.
 */
async function copyConfigsRedacted(from: string, to: string, redactor: Redactor): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of (await readdir(from)).sort()) {
    const config = JSON.parse(await readFile(join(from, name), 'utf8'));
    await writeFileAtomic(join(to, name), `${JSON.stringify(redactor.value(config), null, 2)}\n`, 0o600);
  }
}

function endStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}
