import { stringify } from 'yaml';
import type { Registry } from '../registry/registry.js';
import { type ComponentSpec, OML_MODE_TO_SPEC_MODE, type OmlMode } from '../spec/component.js';
import { closestNames } from '../util/suggest.js';
import { OmlCodes } from './codes.js';
import type { DiagnosticCollector } from './diagnostic-collector.js';
import { describeType, IDENTIFIER_PATTERN, isRecord, quoteList, suggestIdentifier } from './values.js';

const STEP_KEYS = ['id', 'component', 'mode', 'config', 'needs', 'inputs', 'checks', 'materialize'];

/** Keys from other formats (and older Osiris drafts) mapped to the OML key to use instead. */
const STEP_KEY_RENAMES: Readonly<Record<string, string>> = {
  uses: 'component',
  driver: 'component',
  type: 'component',
  with: 'config',
  options: 'config',
  depends_on: 'needs',
  dependencies: 'needs',
  after: 'needs',
  name: 'id',
};

const OML_MODES = Object.keys(OML_MODE_TO_SPEC_MODE) as OmlMode[];

/** A step as far as it could be validated; fields are absent where the step is wrong. */
export interface StepDraft {
  index: number;
  id?: string;
  component?: string;
  spec?: ComponentSpec;
  mode?: OmlMode;
  config?: Record<string, unknown>;
  needs?: unknown;
  inputs?: unknown;
  /** `checks:` as written; validated once every step's dependencies are known. */
  checks?: unknown;
  /** `materialize: true`: keep the output as a table even where it could stream to its consumer. */
  materialize?: boolean;
}

export function validateSteps(
  rawSteps: unknown[],
  registry: Registry,
  collector: DiagnosticCollector,
): StepDraft[] {
  const drafts: StepDraft[] = [];
  const firstIndexById = new Map<string, number>();
  const idByTable = new Map<string, string>();
  rawSteps.forEach((raw, index) => {
    const path = ['steps', index];
    const draft: StepDraft = { index };
    drafts.push(draft);
    if (!isRecord(raw)) {
      collector.error(
        OmlCodes.STEP_NOT_MAPPING,
        path,
        `step ${index + 1} must be a mapping, got ${describeType(raw)}`,
        {
          hint: 'a step is { id, component, mode, config, needs? }',
        },
      );
      return;
    }
    checkStepKeys(raw, path, collector);

    const id = validateId(raw, path, collector);
    if (id !== undefined) {
      const first = firstIndexById.get(id);
      const table = id.replace(/-/g, '_');
      const clash = idByTable.get(table);
      if (first !== undefined) {
        collector.error(
          OmlCodes.STEP_ID_DUPLICATE,
          [...path, 'id'],
          `step id \`${id}\` is already used by step ${first + 1}`,
          {
            hint: 'step ids must be unique; rename one of them',
          },
        );
      } else if (clash !== undefined) {
        collector.error(
          OmlCodes.STEP_ID_COLLISION,
          [...path, 'id'],
          `step ids \`${clash}\` and \`${id}\` both map to data-plane table df_${table}`,
          {
            hint: '`-` and `_` are equivalent in step tables; rename one of the steps',
          },
        );
      } else {
        firstIndexById.set(id, index);
        idByTable.set(table, id);
        draft.id = id;
      }
    }

    const spec = validateComponent(raw, path, registry, collector);
    if (spec) {
      draft.component = spec.name;
      draft.spec = spec;
    }
    const mode = validateMode(raw, path, spec, collector);
    if (mode) draft.mode = mode;

    if (!('config' in raw)) {
      collector.error(OmlCodes.CONFIG_MISSING, path, `step ${label(raw, index)} has no \`config\``, {
        hint: spec ? configHint(spec) : 'add `config: { ... }` with the component settings',
      });
    } else if (!isRecord(raw.config)) {
      collector.error(
        OmlCodes.CONFIG_NOT_MAPPING,
        [...path, 'config'],
        `\`config\` of step ${label(raw, index)} must be a mapping, got ${describeType(raw.config)}`,
        {
          hint: spec ? configHint(spec) : 'write the component settings as key: value pairs',
        },
      );
    } else {
      draft.config = raw.config;
    }
    if ('needs' in raw) draft.needs = raw.needs;
    if ('inputs' in raw) draft.inputs = raw.inputs;
    if ('checks' in raw) draft.checks = raw.checks;
    if ('materialize' in raw) {
      if (typeof raw.materialize === 'boolean') draft.materialize = raw.materialize;
      else
        collector.error(
          OmlCodes.MATERIALIZE_INVALID,
          [...path, 'materialize'],
          `\`materialize\` of step ${label(raw, index)} must be true or false, got ${describeType(raw.materialize)}`,
          {
            hint: "`materialize: true` keeps the step's output as a table in the data plane instead of streaming it to its one consumer",
          },
        );
    }
  });
  return drafts;
}

function checkStepKeys(
  raw: Record<string, unknown>,
  path: Array<string | number>,
  collector: DiagnosticCollector,
): void {
  for (const key of Object.keys(raw)) {
    if (STEP_KEYS.includes(key)) continue;
    const rename = STEP_KEY_RENAMES[key];
    const suggestion = rename ?? closestNames(key, STEP_KEYS, 1)[0];
    collector.error(OmlCodes.STEP_UNKNOWN_KEY, [...path, key], `unknown step key \`${key}\``, {
      at: 'key',
      hint: `${suggestion ? `use \`${suggestion}\` instead; ` : ''}step keys: ${quoteList(STEP_KEYS)}`,
    });
  }
}

function validateId(
  raw: Record<string, unknown>,
  path: Array<string | number>,
  collector: DiagnosticCollector,
): string | undefined {
  if (!('id' in raw)) {
    collector.error(OmlCodes.STEP_ID_MISSING, path, `step ${Number(path[1]) + 1} has no \`id\``, {
      hint: 'add e.g. `id: extract-movies` (unique, kebab-case or snake_case)',
    });
    return undefined;
  }
  if (typeof raw.id !== 'string' || !IDENTIFIER_PATTERN.test(raw.id)) {
    const shown = typeof raw.id === 'string' ? `"${raw.id}"` : describeType(raw.id);
    collector.error(
      OmlCodes.STEP_ID_INVALID,
      [...path, 'id'],
      `step id must be a kebab-case or snake_case string, got ${shown}`,
      {
        hint: `e.g. \`id: ${suggestIdentifier(String(raw.id ?? ''))}\``,
      },
    );
    return undefined;
  }
  return raw.id;
}

function validateComponent(
  raw: Record<string, unknown>,
  path: Array<string | number>,
  registry: Registry,
  collector: DiagnosticCollector,
): ComponentSpec | undefined {
  if (!('component' in raw)) {
    collector.error(
      OmlCodes.COMPONENT_MISSING,
      path,
      `step ${label(raw, Number(path[1]))} has no \`component\``,
      {
        hint: `add e.g. \`component: ${registry.names()[0] ?? 'mysql.extractor'}\`; run \`osiris components list\` to see all`,
      },
    );
    return undefined;
  }
  const name = raw.component;
  const spec = typeof name === 'string' ? registry.spec(name) : undefined;
  if (spec) return spec;
  const suggestions = typeof name === 'string' ? closestNames(name, registry.names(), 3) : [];
  collector.error(
    OmlCodes.COMPONENT_UNKNOWN,
    [...path, 'component'],
    typeof name === 'string'
      ? `unknown component \`${name}\``
      : `\`component\` must be a string, got ${describeType(name)}`,
    {
      hint:
        suggestions.length > 0
          ? `did you mean ${quoteList(suggestions)}?`
          : `run \`osiris components list\`; available: ${quoteList(registry.names())}`,
    },
  );
  return undefined;
}

function validateMode(
  raw: Record<string, unknown>,
  path: Array<string | number>,
  spec: ComponentSpec | undefined,
  collector: DiagnosticCollector,
): OmlMode | undefined {
  const supported = spec ? supportedModes(spec) : OML_MODES;
  if (!('mode' in raw)) {
    collector.error(OmlCodes.MODE_MISSING, path, `step ${label(raw, Number(path[1]))} has no \`mode\``, {
      hint: `add \`mode: ${supported[0] ?? 'read'}\`${spec ? ` (${spec.name} supports ${quoteList(supported)})` : ''}`,
    });
    return undefined;
  }
  const mode = raw.mode;
  if (typeof mode !== 'string' || !(OML_MODES as string[]).includes(mode)) {
    const specModeHint = Object.entries(OML_MODE_TO_SPEC_MODE).find(([, specMode]) => specMode === mode)?.[0];
    collector.error(
      OmlCodes.MODE_INVALID,
      [...path, 'mode'],
      `mode must be one of read, write, transform, got ${typeof mode === 'string' ? `"${mode}"` : describeType(mode)}`,
      {
        hint: specModeHint
          ? `OML writes \`${specModeHint}\` for the spec mode \`${mode}\``
          : `modes: ${quoteList(OML_MODES)}`,
      },
    );
    return undefined;
  }
  if (spec && !supported.includes(mode as OmlMode)) {
    collector.error(
      OmlCodes.MODE_UNSUPPORTED,
      [...path, 'mode'],
      `${spec.name} does not support mode \`${mode}\``,
      {
        hint: `${spec.name} supports ${quoteList(supported)}`,
      },
    );
    return undefined;
  }
  return mode as OmlMode;
}

/** OML modes a component supports, in the order read, write, transform. */
export function supportedModes(spec: ComponentSpec): OmlMode[] {
  return OML_MODES.filter((mode) => spec.modes.includes(OML_MODE_TO_SPEC_MODE[mode]));
}

function configHint(spec: ComponentSpec): string {
  const example = spec.examples[0]?.config;
  if (!example) return `see \`osiris components show ${spec.name}\``;
  return `e.g. config: ${stringify(example, { collectionStyle: 'flow', lineWidth: 0 }).trim()}`;
}

function label(raw: Record<string, unknown>, index: number): string {
  return typeof raw.id === 'string' ? `\`${raw.id}\`` : String(index + 1);
}
