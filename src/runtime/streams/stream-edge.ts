import type { Manifest, StreamEdgePlan } from '../../spec/manifest.js';
import { deferred } from '../../util/deferred.js';

/** How the producer of a streamed edge ended. */
export type ProducerOutcome = { ok: true; rows: number } | { ok: false; code: string };

/**
 * One streamed edge of a run (plan.streams), on the side that holds the data plane. Both steps
 * run at once and meet here:
 * - the producer says when its output exists (`publish`) and how it ended (`settleProducer`);
 * - the consumer says when its reading statement has ended (`settleReader`), and waits for the
 *   producer's outcome before it commits anything (the rows it read are complete only if the
 *   producer succeeded).
 * Each side settles its half exactly once, whatever happens, so neither can wait forever.
 */
export class StreamEdge {
  /** True when the producer published a view over live rows (false: a finished table). */
  streamed = false;
  private readonly publishedD = deferred<void>();
  private readonly readerD = deferred<{ error?: unknown }>();
  private readonly producerD = deferred<ProducerOutcome>();
  private readonly producerAbort = new AbortController();
  private isPublished = false;
  private readerSettled = false;
  private producerSettled = false;

  constructor(
    readonly producer: string,
    readonly consumer: string,
  ) {
    // Nobody may be waiting for it yet when the producer fails first.
    this.publishedD.promise.catch(() => undefined);
  }

  /** Resolves when the producer's output exists; rejects when the producer failed before. */
  get published(): Promise<void> {
    return this.publishedD.promise;
  }

  /** Settles when the consumer's reading statement has ended (its error, if it failed). */
  get readerDone(): Promise<{ error?: unknown }> {
    return this.readerD.promise;
  }

  get producerDone(): Promise<ProducerOutcome> {
    return this.producerD.promise;
  }

  /** Aborted when the producer fails: the consumer's statement is stopped at once. */
  get producerFailed(): AbortSignal {
    return this.producerAbort.signal;
  }

  /** The producer's output exists under its table name; `streamed`: it is a view over live rows. */
  publish(streamed: boolean): void {
    if (this.isPublished) return;
    this.isPublished = true;
    this.streamed = streamed;
    this.publishedD.resolve();
  }

  /** The consumer's reading ended: read to the end (`{}`), or failed with `error`. */
  settleReader(outcome: { error?: unknown }): void {
    if (this.readerSettled) return;
    this.readerSettled = true;
    this.readerD.resolve(outcome);
  }

  settleProducer(outcome: ProducerOutcome): void {
    if (this.producerSettled) return;
    this.producerSettled = true;
    this.producerD.resolve(outcome);
    if (outcome.ok) return;
    if (!this.isPublished) this.publishedD.reject(new Error(`step ${this.producer} failed`));
    this.producerAbort.abort();
  }
}

/** The edges of a manifest whose both ends are among its steps (a `--select` may cut one). */
export function activeStreamEdges(manifest: Manifest): StreamEdgePlan[] {
  const ids = new Set(manifest.steps.map((step) => step.id));
  return (manifest.plan.streams ?? []).filter((edge) => ids.has(edge.from) && ids.has(edge.to));
}

/** The streamed edges of a run by step id, for both ends. */
export class StreamHub {
  private readonly byProducer = new Map<string, StreamEdge>();
  private readonly byConsumer = new Map<string, StreamEdge>();

  constructor(edges: ReadonlyArray<{ from: string; to: string }>) {
    for (const { from, to } of edges) {
      const edge = new StreamEdge(from, to);
      this.byProducer.set(from, edge);
      this.byConsumer.set(to, edge);
    }
  }

  static forManifest(manifest: Manifest): StreamHub | undefined {
    const edges = activeStreamEdges(manifest);
    return edges.length > 0 ? new StreamHub(edges) : undefined;
  }

  producedBy(stepId: string): StreamEdge | undefined {
    return this.byProducer.get(stepId);
  }

  consumedBy(stepId: string): StreamEdge | undefined {
    return this.byConsumer.get(stepId);
  }
}
