import { OML_AUTHORING_GUIDE } from '../oml/authoring-guide.js';
import { describeConfigFields } from '../registry/config-fields.js';
import type { Registry } from '../registry/registry.js';
import type { ComponentSpec, SpecMode } from '../spec/component.js';

const OML_MODE_OF: Partial<Record<SpecMode, string>> = {
  extract: 'read',
  write: 'write',
  transform: 'transform',
};

const WORKFLOW = `How to work with the Osiris tools:
1. connections_list: the connections you may use, as "@family.alias". Never ask for or write passwords.
2. discovery_request on the relevant connection (add "search" to find a named value). Take table and
   column names only from its result; never invent them.
3. Write the complete OML and check it with oml_validate. Fix every error (each has a hint) and validate again.
4. oml_save stores it as pipelines/<name>.yaml; pipeline_compile shows the plan and what it writes.
5. Show the user what the pipeline reads and writes and ask for approval. Only after an explicit yes,
   call pipeline_run with approved: true. Then report the result (run_show has the details).`;

/**
 * The text that teaches a model to write OML for this registry: the workflow with the tools, the
 * document shape, and per component its keys, guidance, patterns and an example, all from the specs.
 */
export function buildOmlGuide(registry: Registry, options: { goal?: string } = {}): string {
  const components = registry
    .list()
    .map((definition) => describeComponent(definition.spec))
    .join('\n\n');
  const parts = [
    'You are writing an Osiris pipeline in OML. Osiris runs it only after the human approves it.',
    ...(options.goal ? [`The user wants: ${options.goal}`] : []),
    WORKFLOW,
    OML_AUTHORING_GUIDE,
    `Components:\n\n${components}`,
  ];
  return parts.join('\n\n');
}

function describeComponent(spec: ComponentSpec): string {
  const fields = describeConfigFields(spec).filter((field) => !field.secret);
  const required = fields.filter((field) => field.required).map((field) => field.name);
  const alternatives = [
    ...new Set(
      fields
        .filter((field) => field.alternativeTo)
        .map((field) => [field.name, ...(field.alternativeTo ?? [])].sort().join(' | ')),
    ),
  ];
  const optional = fields
    .filter((field) => !field.required && !field.alternativeTo)
    .map((field) =>
      field.default === undefined ? field.name : `${field.name}=${JSON.stringify(field.default)}`,
    );
  const modes = spec.modes.flatMap((mode) => OML_MODE_OF[mode] ?? []);
  const lines = [
    `### ${spec.name} (mode: ${modes.join(' | ')}): ${spec.title}`,
    ...(spec.connection
      ? [
          `connection: "@${spec.connection.families.join('|@')}.<alias>"${spec.connection.required ? '' : ' (optional)'}`,
        ]
      : []),
    `required: ${required.length > 0 ? required.join(', ') : 'none'}`,
    ...alternatives.map((group) => `exactly one of: ${group}`),
    ...(optional.length > 0 ? [`optional: ${optional.join(', ')}`] : []),
    spec.llmHints.promptGuidance,
    ...(spec.llmHints.commonPatterns ?? []).map((pattern) => `- ${pattern}`),
  ];
  const example = spec.examples.find((candidate) => candidate.oml) ?? spec.examples[0];
  if (example?.oml) lines.push(`Example (${example.title}):\n${example.oml.trimEnd()}`);
  else if (example) lines.push(`Example config (${example.title}): ${JSON.stringify(example.config)}`);
  return lines.join('\n');
}
