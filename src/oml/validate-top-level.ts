import { OML_VERSION } from '../spec/oml.js';
import { closestNames } from '../util/suggest.js';
import { OmlCodes } from './codes.js';
import type { DiagnosticCollector } from './diagnostic-collector.js';
import { describeType, IDENTIFIER_PATTERN, isRecord, quoteList, suggestIdentifier } from './values.js';

const ALLOWED_KEYS = [
  'oml_version',
  'name',
  'description',
  'params',
  'profiles',
  'metadata',
  'on_failure',
  'steps',
];

const ON_FAILURE_VALUES = ['commit_each', 'rollback_all'];

/** Keys of other pipeline formats (and of pre-OML Osiris), each with what to write instead. */
const FORBIDDEN_KEYS: Readonly<Record<string, string>> = {
  version: 'OML uses `oml_version: "0.1.0"` (a quoted string) instead of `version`',
  connectors:
    'connections live in osiris_connections.yaml; a step refers to one with `config.connection: "@family.alias"`',
  tasks: 'OML calls them `steps`: a list of { id, component, mode, config, needs }',
  outputs:
    'outputs are write steps, e.g. { id: save, component: filesystem.csv_writer, mode: write, config: {...} }',
};

export const OML_SHAPE_HINT =
  'an OML pipeline looks like:\n' +
  '    oml_version: "0.1.0"\n' +
  '    name: my-pipeline\n' +
  '    steps:\n' +
  '      - id: extract-movies\n' +
  '        component: mysql.extractor\n' +
  '        mode: read\n' +
  '        config: { connection: "@mysql.default", table: movies }';

export interface TopLevel {
  name?: string;
  description?: string;
  metadata?: Record<string, unknown>;
  /** Set only for `rollback_all`; `commit_each` is the default and changes nothing. */
  onFailure?: 'rollback_all';
  extensions: Record<string, unknown>;
  /** The `steps` list when it is a non-empty list. */
  steps?: unknown[];
}

/** Checks the keys of the root mapping and the scalar fields; params and profiles are checked elsewhere. */
export function validateTopLevel(root: Record<string, unknown>, collector: DiagnosticCollector): TopLevel {
  const result: TopLevel = { extensions: {} };

  for (const key of Object.keys(root)) {
    if (ALLOWED_KEYS.includes(key)) continue;
    if (key.startsWith('x-')) {
      result.extensions[key] = root[key];
      continue;
    }
    const forbidden = FORBIDDEN_KEYS[key];
    if (forbidden !== undefined) {
      collector.error(OmlCodes.FORBIDDEN_KEY, [key], `\`${key}\` is not an OML key`, {
        at: 'key',
        hint: `${forbidden}; ${OML_SHAPE_HINT}`,
      });
      continue;
    }
    const suggestions = closestNames(key, ALLOWED_KEYS, 1);
    collector.error(OmlCodes.UNKNOWN_KEY, [key], `unknown top-level key \`${key}\``, {
      at: 'key',
      hint:
        (suggestions.length > 0 ? `did you mean \`${suggestions[0]}\`? ` : '') +
        `allowed keys: ${quoteList(ALLOWED_KEYS)}; put your own data under \`metadata\` or an \`x-\` key`,
    });
  }

  validateVersion(root, collector);

  if (!('name' in root)) {
    collector.error(OmlCodes.NAME_MISSING, [], 'the pipeline has no `name`', {
      hint: 'add e.g. `name: movies-to-csv` (kebab-case or snake_case)',
    });
  } else if (typeof root.name !== 'string' || !IDENTIFIER_PATTERN.test(root.name)) {
    const shown = typeof root.name === 'string' ? `"${root.name}"` : describeType(root.name);
    collector.error(
      OmlCodes.NAME_INVALID,
      ['name'],
      `\`name\` must be a kebab-case or snake_case string, got ${shown}`,
      {
        hint: `e.g. \`name: ${suggestIdentifier(String(root.name ?? ''))}\`; the name becomes the build folder`,
      },
    );
  } else {
    result.name = root.name;
  }

  if ('description' in root) {
    if (typeof root.description === 'string') result.description = root.description;
    else
      collector.error(
        OmlCodes.FIELD_TYPE,
        ['description'],
        `\`description\` must be a string, got ${describeType(root.description)}`,
        { hint: 'quote it if it looks like a number or date' },
      );
  }
  if ('metadata' in root) {
    if (isRecord(root.metadata)) result.metadata = root.metadata;
    else
      collector.error(
        OmlCodes.FIELD_TYPE,
        ['metadata'],
        `\`metadata\` must be a mapping, got ${describeType(root.metadata)}`,
        { hint: 'e.g. `metadata: { owner: data-team }`' },
      );
  }

  if ('on_failure' in root) {
    if (root.on_failure === 'rollback_all') result.onFailure = 'rollback_all';
    else if (root.on_failure !== 'commit_each')
      collector.error(
        OmlCodes.FIELD_TYPE,
        ['on_failure'],
        `\`on_failure\` must be one of ${quoteList(ON_FAILURE_VALUES)}, got ${typeof root.on_failure === 'string' ? `"${root.on_failure}"` : describeType(root.on_failure)}`,
        {
          hint: '`commit_each` (the default): each writer commits when it is done; `rollback_all`: writers commit together once all succeeded, or none does',
        },
      );
  }

  if (!('steps' in root)) {
    collector.error(OmlCodes.STEPS_MISSING, [], 'the pipeline has no `steps`', { hint: OML_SHAPE_HINT });
  } else if (!Array.isArray(root.steps) || root.steps.length === 0) {
    collector.error(
      OmlCodes.STEPS_INVALID,
      ['steps'],
      `\`steps\` must be a non-empty list, got ${Array.isArray(root.steps) ? 'an empty list' : describeType(root.steps)}`,
      { hint: OML_SHAPE_HINT },
    );
  } else {
    result.steps = root.steps;
  }
  return result;
}

function validateVersion(root: Record<string, unknown>, collector: DiagnosticCollector): void {
  if (!('oml_version' in root)) {
    collector.error(OmlCodes.VERSION_MISSING, [], 'the pipeline has no `oml_version`', {
      hint: `add \`oml_version: "${OML_VERSION}"\` as the first line`,
    });
    return;
  }
  const version = root.oml_version;
  if (typeof version !== 'string') {
    collector.error(
      OmlCodes.VERSION_NOT_STRING,
      ['oml_version'],
      `\`oml_version\` must be a string, got ${describeType(version)} (${String(version)})`,
      {
        hint: `quote it: \`oml_version: "${OML_VERSION}"\` (YAML reads an unquoted 0.1 as a number)`,
      },
    );
    return;
  }
  if (version !== OML_VERSION) {
    collector.error(OmlCodes.VERSION_UNSUPPORTED, ['oml_version'], `unsupported oml_version "${version}"`, {
      hint: `this Osiris reads OML "${OML_VERSION}"`,
    });
  }
}
