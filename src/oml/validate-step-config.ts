import { parseConnectionRef } from '../connections/connection-ref.js';
import { selectConnection } from '../connections/select-connection.js';
import type { ConnectionsConfig, RawConnection } from '../connections/types.js';
import { configSchemaValidator } from '../registry/config-validator.js';
import type { ComponentSpec, OmlMode } from '../spec/component.js';
import { ErrorCodes, isOsirisError } from '../spec/errors.js';
import { OmlCodes } from './codes.js';
import { describeConfigErrors } from './config-schema-errors.js';
import { findInlineSecrets } from './config-secrets.js';
import type { DiagnosticCollector } from './diagnostic-collector.js';
import { validateIncremental } from './validate-incremental.js';
import { isRecord, quoteList } from './values.js';

export interface StepConfigInput {
  index: number;
  id: string | undefined;
  spec: ComponentSpec;
  mode: OmlMode | undefined;
  /** Config with parameters substituted. */
  config: Record<string, unknown>;
  /** Config paths already reported (e.g. unresolved params), so the schema does not repeat them. */
  reported: Set<string>;
  connections?: ConnectionsConfig;
}

/**
 * Checks one step's config against its component: the connection reference, connection-field
 * overrides, inline secrets, the write-mode rule, then the JSON Schema. Returns the connection
 * the reference selects when a connections file was given.
 */
export function validateStepConfig(
  input: StepConfigInput,
  collector: DiagnosticCollector,
): RawConnection | undefined {
  const { spec, config, reported } = input;
  const base = ['steps', input.index, 'config'];
  const mark = (key: string | number): void => void reported.add(String(key));

  for (const path of findInlineSecrets(spec, config)) {
    mark(path[0]!);
    collector.error(
      OmlCodes.INLINE_SECRET,
      [...base, ...path],
      `\`${path.join('.')}\` holds a secret written into the pipeline`,
      {
        hint:
          'secrets never go into OML: put the value in osiris_connections.yaml as `${ENV_VAR}` (set in the ' +
          'environment or .env) and refer to the connection with `connection: "@family.alias"`',
      },
    );
  }

  for (const policy of spec['x-connection-fields'] ?? []) {
    if (!(policy.name in config) || policy.override === 'allowed') continue;
    mark(policy.name);
    const message = `\`${policy.name}\` overrides the connection's ${policy.name}`;
    if (policy.override === 'forbidden') {
      collector.error(
        OmlCodes.OVERRIDE_FORBIDDEN,
        [...base, policy.name],
        `${message}, which ${spec.name} does not allow`,
        {
          at: 'key',
          hint: `set ${policy.name} in the connection in osiris_connections.yaml, or define another connection alias`,
        },
      );
    } else {
      collector.warning(OmlCodes.OVERRIDE_WARNING, [...base, policy.name], message, {
        at: 'key',
        hint: `prefer a connection alias with this ${policy.name} in osiris_connections.yaml`,
      });
    }
  }

  const connection = checkConnection(input, base, collector);
  warnIgnoredKeys(input, base, collector);
  validateIncremental(spec, config, base, reported, collector);

  if (input.mode === 'write') checkWriteStrategy(input, base, collector);

  const validate = configSchemaValidator(spec);
  if (!validate(config)) {
    for (const problem of describeConfigErrors(validate.errors ?? [], spec.configSchema, config)) {
      if (problem.path.length > 0 && reported.has(String(problem.path[0]))) continue;
      if (problem.path.length === 0 && mentionsReported(problem.message, reported)) continue;
      collector.error(problem.code, [...base, ...problem.path], problem.message, {
        ...(problem.hint === undefined ? {} : { hint: problem.hint }),
        ...(problem.atKey ? { at: 'key' as const } : {}),
      });
    }
  }
  return connection;
}

const KEYED_WRITE_MODES = new Set(['replace', 'upsert', 'delete_insert', 'scd2']);
const DELETE_FLAG_WRITE_MODES = ['upsert', 'delete_insert', 'scd2'];

/**
 * Cross-field rules of the database writers' write strategies: every mode but append needs
 * `primary_key`, and so does `deleted_column`, which only upsert, delete_insert and scd2 honour.
 */
function checkWriteStrategy(
  input: StepConfigInput,
  base: Array<string | number>,
  collector: DiagnosticCollector,
): void {
  const { config, reported } = input;
  const key = config.primary_key;
  const noKey = key === undefined || key === null || key === '' || (Array.isArray(key) && key.length === 0);
  const mode = typeof config.write_mode === 'string' ? config.write_mode : 'append';
  const flagged = typeof config.deleted_column === 'string' && config.deleted_column !== '';
  if (noKey && (KEYED_WRITE_MODES.has(mode) || flagged)) {
    reported.add('primary_key');
    const what = KEYED_WRITE_MODES.has(mode) ? `\`write_mode: ${mode}\`` : '`deleted_column`';
    collector.error(
      OmlCodes.PRIMARY_KEY_REQUIRED,
      [...base, KEYED_WRITE_MODES.has(mode) ? 'write_mode' : 'deleted_column'],
      `${what} needs \`primary_key\``,
      {
        hint: 'add `primary_key: id` (a column, or a list of columns) that identifies a row',
      },
    );
  }
  if (flagged && !DELETE_FLAG_WRITE_MODES.includes(mode)) {
    reported.add('deleted_column');
    collector.error(
      OmlCodes.CONFIG_INVALID,
      [...base, 'deleted_column'],
      `\`deleted_column\` has no effect with \`write_mode: ${mode}\``,
      {
        at: 'key',
        hint: `use it with write_mode ${DELETE_FLAG_WRITE_MODES.join(', ')}, or remove it`,
      },
    );
  }
}

function checkConnection(
  input: StepConfigInput,
  base: Array<string | number>,
  collector: DiagnosticCollector,
): RawConnection | undefined {
  const { spec, config, reported } = input;
  const path = [...base, 'connection'];
  const schemaProperties = isRecord(spec.configSchema.properties) ? spec.configSchema.properties : {};
  if (!('connection' in config)) {
    const pathAlternative = 'path' in schemaProperties && config.path !== undefined;
    if (spec.connection?.required && !pathAlternative) {
      reported.add('connection');
      const family = spec.connection.families[0] ?? 'family';
      collector.error(OmlCodes.CONNECTION_MISSING, base, `${spec.name} needs \`config.connection\``, {
        hint: `add \`connection: "@${family}.<alias>"\` naming a connection in osiris_connections.yaml (\`osiris connections list\`)`,
      });
    }
    return undefined;
  }
  const reference = config.connection;
  if (!spec.connection && !('connection' in schemaProperties)) {
    reported.add('connection');
    collector.error(OmlCodes.CONNECTION_NOT_ACCEPTED, path, `${spec.name} does not take a connection`, {
      at: 'key',
      hint: 'remove `connection`',
    });
    return undefined;
  }
  let family: string;
  try {
    if (typeof reference !== 'string') throw new TypeError('not a string');
    family = parseConnectionRef(reference).family;
  } catch {
    reported.add('connection');
    collector.error(
      OmlCodes.CONNECTION_REFERENCE_INVALID,
      path,
      `\`connection\` must be an "@family.alias" reference, got ${JSON.stringify(reference)}`,
      {
        hint: `quote it, e.g. \`connection: "@${spec.connection?.families[0] ?? 'mysql'}.default"\` (an unquoted @ is a YAML error)`,
      },
    );
    return undefined;
  }
  const families = spec.connection?.families ?? [];
  if (families.length > 0 && !families.includes(family)) {
    reported.add('connection');
    collector.error(OmlCodes.CONNECTION_FAMILY, path, `${spec.name} cannot use a \`${family}\` connection`, {
      hint: `use a connection of family ${quoteList(families)}`,
    });
    return undefined;
  }
  if (!input.connections) return undefined;
  try {
    return selectConnection(input.connections, reference as string);
  } catch (error) {
    if (!isOsirisError(error)) throw error;
    reported.add('connection');
    const ambiguous = error.code === ErrorCodes.CONNECTION_AMBIGUOUS;
    collector.error(
      ambiguous ? OmlCodes.CONNECTION_AMBIGUOUS : OmlCodes.CONNECTION_NOT_FOUND,
      path,
      error.message,
      {
        ...(error.hint === undefined ? {} : { hint: error.hint }),
      },
    );
    return undefined;
  }
}

/** Keys the spec marks `x-ignored`: accepted for compatibility, but setting one changes nothing. */
function warnIgnoredKeys(
  input: StepConfigInput,
  base: Array<string | number>,
  collector: DiagnosticCollector,
): void {
  const properties = isRecord(input.spec.configSchema.properties) ? input.spec.configSchema.properties : {};
  for (const key of Object.keys(input.config)) {
    const property = properties[key];
    const reason = isRecord(property) ? property['x-ignored'] : undefined;
    if (typeof reason !== 'string') continue;
    collector.warning(
      OmlCodes.CONFIG_IGNORED,
      [...base, key],
      `\`${key}\` has no effect on ${input.spec.name}`,
      {
        at: 'key',
        hint: `${reason.replace(/\.?$/, '.')} Remove \`${key}\`.`,
      },
    );
  }
}

function mentionsReported(message: string, reported: ReadonlySet<string>): boolean {
  for (const key of reported) if (message.includes(`\`${key}\``)) return true;
  return false;
}
