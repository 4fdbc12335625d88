import type { EngineResult, EngineSink } from '../../engine-types.js';

/**
 * Messages from the worker name sandbox folders where a local run names local ones (a hint such
 * as "use a path inside the project folder (/home/user/.osiris/runs/…/project)"). This swaps the
 * sandbox's project and artifacts folders for the local ones in every string the worker reports,
 * so events and errors read exactly as they would after a local run.
 */
export class LocalPaths {
  readonly #pairs: Array<[remote: string, local: string]>;

  constructor(pairs: Array<[remote: string, local: string]>) {
    // Longest first, so a folder inside another is replaced before its parent.
    this.#pairs = pairs.filter(([remote]) => remote !== '').sort((a, b) => b[0].length - a[0].length);
  }

  text(value: string): string {
    let out = value;
    for (const [remote, local] of this.#pairs) if (out.includes(remote)) out = out.split(remote).join(local);
    return out;
  }

  value<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.value(item)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.value(item)])) as T;
    }
    return value;
  }

  sink(sink: EngineSink): EngineSink {
    return {
      ...sink,
      event: (name, fields) => sink.event(name, fields === undefined ? undefined : this.value(fields)),
    };
  }

  result(result: EngineResult): EngineResult {
    return {
      ...result,
      steps: result.steps.map((step) => (step.error ? { ...step, error: this.value(step.error) } : step)),
      ...(result.error ? { error: this.value(result.error) } : {}),
    };
  }
}
