/** One timed transfer: a baseline client or an Osiris pipeline. */
export interface Measurement {
  name: string;
  rows: number;
  /** Wall time around the whole process (start-up and compile included for Osiris). */
  seconds?: number;
  peakRssBytes?: number;
  /** Bytes of the file written, when there is one. */
  bytes?: number;
  /** Osiris only: seconds of start-up, each step, teardown and exit, from the run's events. */
  phases?: Record<string, number>;
  /** Why there is no figure (a missing binary or server, a failed run). */
  skipped?: string;
}

export const rowsPerSecond = (measurement: Measurement): number | undefined =>
  measurement.seconds === undefined || measurement.seconds <= 0
    ? undefined
    : measurement.rows / measurement.seconds;
