import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { AiopCore } from '../../observability/aiop/index.js';
import type { ToolContext } from './tool-context.js';

/**
 * The AI Operation Package of a run (the most recent one without an id), built in memory: the
 * agent's run tools read, they never write. Samples stay out when the chat runs with --no-samples.
 */
export async function readRunPackage(context: ToolContext, runId: string | undefined): Promise<AiopCore> {
  const { exportAiop } = await import('../../observability/aiop/index.js');
  const { projectRedaction } = await import('../../composition/project-redaction.js');
  const exported = await exportAiop({
    projectDir: context.projectDir,
    redaction: projectRedaction(context.projectDir, context.env),
    selector: runId ? { runId } : { last: true },
    samples: context.samples !== false,
    write: false,
  });
  return exported.package.core;
}

export interface PipelineFile {
  /** Relative to the project, `/`-separated: `pipelines/orders.yaml`. */
  file: string;
  /** The OML as it is on disk now, without the chat's provenance line. */
  oml: string;
}

const PIPELINES = 'pipelines';

/**
 * The OML file of a pipeline, found by its `name` under pipelines/: `<name>.yaml` first, then any
 * other file declaring that name. Undefined when the pipeline has no file in the project.
 */
export async function findPipelineFile(projectDir: string, name: string): Promise<PipelineFile | undefined> {
  let names: string[];
  try {
    names = (await readdir(path.join(projectDir, PIPELINES)))
      .filter((entry) => /\.ya?ml$/.test(entry))
      .sort();
  } catch {
    return undefined;
  }
  const preferred = [`${name}.yaml`, `${name}.yml`].filter((entry) => names.includes(entry));
  for (const entry of [...preferred, ...names.filter((entry) => !preferred.includes(entry))]) {
    const text = await readFile(path.join(projectDir, PIPELINES, entry), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    let declared: unknown;
    try {
      declared = (parseYaml(text) as { name?: unknown } | null)?.name;
    } catch {
      continue;
    }
    if (declared === name) return { file: `${PIPELINES}/${entry}`, oml: withoutProvenance(text) };
  }
  return undefined;
}

/** The first line the chat writes on files it saved names a session; it is not part of the pipeline. */
function withoutProvenance(text: string): string {
  return text.replace(/^# Proposed in osiris chat session \S+ and approved by the user\.\n/, '');
}
