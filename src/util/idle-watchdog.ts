/** Seconds a database may stay silent while Osiris waits for it, unless the connection says otherwise. */
export const DEFAULT_READ_TIMEOUT_SECONDS = 300;

export interface IdleWatchdogOptions {
  /** How long the peer may stay silent while we wait for it. */
  timeoutMs: number;
  /**
   * True while we are waiting for the peer: a request is in flight and reading is not paused by
   * our own backpressure (a slow consumer is not a silent server).
   */
  waiting(): boolean;
  /**
   * Bytes moved so far (received plus sent: a server reading a long COPY answers only at its end);
   * any change counts as the peer being alive.
   */
  bytesMoved(): number;
  /** Called once, when the peer has been silent for `timeoutMs` while we waited. */
  onTimeout(): void;
}

/**
 * Watches a socket for a peer that stops answering (a frozen server, a silently dropped network
 * path): the kernel keeps such a connection open for hours, so only the client can notice. The
 * timer is unref'd: it never keeps the process alive on its own. Returns the function that stops it.
 */
export function watchIdle(options: IdleWatchdogOptions): () => void {
  let lastBytes = options.bytesMoved();
  let quietSince = performance.now();
  const tick = () => {
    const bytes = options.bytesMoved();
    const now = performance.now();
    if (bytes !== lastBytes || !options.waiting()) {
      lastBytes = bytes;
      quietSince = now;
      return;
    }
    if (now - quietSince >= options.timeoutMs) {
      clearInterval(timer);
      options.onTimeout();
    }
  };
  const timer = setInterval(tick, Math.min(1000, Math.max(25, Math.floor(options.timeoutMs / 10))));
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * `read_timeout` of a connection, in seconds (a number, or text from a `${VAR}` template); 0 turns
 * the watchdog off. Returns milliseconds, or undefined when off; throws `invalid` for anything else.
 */
export function readTimeoutMs(value: unknown, invalid: (text: string) => Error): number | undefined {
  if (value === undefined || value === null || value === '') return DEFAULT_READ_TIMEOUT_SECONDS * 1000;
  const seconds = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw invalid(String(value));
  return seconds === 0 ? undefined : seconds * 1000;
}
