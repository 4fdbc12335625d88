import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument, type YAMLMap } from 'yaml';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { closestMatch } from './closest-match.js';
import { ALIAS_NAME_PATTERN, FAMILY_NAME_PATTERN } from './connection-ref.js';
import { findMalformedTemplate } from './env-template.js';

/** Alias expansions allowed in one connection (yaml's own default); a few `<<: *shared` merges need far fewer. */
const MAX_ALIAS_EXPANSIONS = 100;

import type { RawConnection } from './types.js';

export const EXPECTED_SHAPE = `expected shape:
        version: 1
        connections:
          mysql:                          # family
            movies:                       # alias, used as "@mysql.movies"
              default: true               # optional; at most one per family
              host: localhost
              password: \${MYSQL_PASSWORD} # secrets come from the environment or .env`;

const TOP_LEVEL_KEYS = ['version', 'connections'];

interface Position {
  line: number;
  column: number;
}

/** What every check needs: the parsed document, how to locate a node, and how to fail there. */
interface ParseContext {
  document: ReturnType<typeof parseDocument>;
  file: string;
  positionOf(node: unknown): Position;
  fail(node: unknown, message: string, hint?: string): never;
}

/**
 * Parse the text of an `osiris_connections.yaml`. Every structural problem is an
 * E_CONNECTIONS_INVALID naming `file:line:column` and showing the expected shape.
 */
export function parseConnectionsFile(text: string, file: string): RawConnection[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, merge: true });
  const positionOf = (node: unknown): Position => {
    const { line, col } = lineCounter.linePos((node as Node | undefined)?.range?.[0] ?? 0);
    return { line: Math.max(line, 1), column: col };
  };
  const failAt = (position: Position, message: string, hint?: string): never => {
    throw new OsirisError(
      ErrorCodes.CONNECTIONS_INVALID,
      `${file}:${position.line}:${position.column}: ${message}`,
      {
        hint: hint ? `${hint}\n      ${EXPECTED_SHAPE}` : EXPECTED_SHAPE,
        details: { file, line: position.line, column: position.column },
      },
    );
  };
  const context: ParseContext = {
    document,
    file,
    positionOf,
    fail: (node, message, hint) => failAt(positionOf(node), message, hint),
  };

  const [syntaxError] = document.errors;
  if (syntaxError) {
    const start = syntaxError.linePos?.[0] ?? { line: 1, col: 1 };
    const message = syntaxError.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
    failAt({ line: start.line, column: start.col }, `invalid YAML: ${message}`);
  }
  const connectionsNode = readTopLevel(document.contents, context);
  if (connectionsNode === undefined) return [];
  return connectionsNode.items.flatMap((familyPair) => readFamily(familyPair, context));
}

/** Check `version` and unknown keys; return the `connections` mapping, or undefined when there is none. */
function readTopLevel(root: unknown, context: ParseContext): YAMLMap | undefined {
  if (isEmpty(root)) return undefined;
  if (!isMap(root)) return context.fail(root, 'the file must be a mapping with `version` and `connections`');
  let connectionsNode: unknown;
  for (const pair of root.items) {
    const key = keyName(pair);
    if (key === 'version') {
      if (!isScalar(pair.value) || pair.value.value !== 1) {
        context.fail(
          pair.value ?? pair.key,
          'unsupported `version`: this Osiris reads version 1',
          'write `version: 1`',
        );
      }
    } else if (key === 'connections') {
      connectionsNode = pair.value;
    } else if (key === undefined || !key.startsWith('x-')) {
      const suggestion = key === undefined ? undefined : closestMatch(key, TOP_LEVEL_KEYS);
      context.fail(
        pair.key,
        `unknown top-level key ${JSON.stringify(key ?? String(pair.key))}`,
        `${suggestion ? `did you mean \`${suggestion}\`? ` : ''}allowed keys: version, connections (and x-* extensions)`,
      );
    }
  }
  if (isEmpty(connectionsNode)) return undefined;
  if (!isMap(connectionsNode))
    return context.fail(connectionsNode, '`connections` must map families to their aliases');
  return connectionsNode;
}

function readFamily(familyPair: Pair, context: ParseContext): RawConnection[] {
  const family = requireName(familyPair, 'family', context);
  const aliases = familyPair.value;
  if (!isMap(aliases)) {
    return context.fail(
      aliases ?? familyPair.key,
      `family "${family}" must map alias names to connection fields`,
    );
  }
  const connections = aliases.items.map((aliasPair) => readAlias(family, aliasPair, context));
  const defaults = connections.filter((connection) => connection.isDefault);
  const [first, second] = defaults;
  if (first && second) {
    const secondPair = aliases.items.find((pair) => keyName(pair) === second.alias);
    context.fail(
      secondPair?.key,
      `family "${family}" has more than one default alias (${first.alias} and ${second.alias})`,
      'mark at most one alias per family with `default: true`',
    );
  }
  return connections;
}

function readAlias(family: string, aliasPair: Pair, context: ParseContext): RawConnection {
  const alias = requireName(aliasPair, 'alias', context);
  const body = aliasPair.value;
  if (!isMap(body)) {
    return context.fail(
      body ?? aliasPair.key,
      `connection @${family}.${alias} must be a mapping of fields (host, user, password: \${VAR}, ...)`,
    );
  }
  for (const fieldPair of body.items) {
    if (isScalar(fieldPair.key) && typeof fieldPair.key.value === 'symbol') continue; // a `<<` merge key
    const field = keyName(fieldPair);
    if (field === undefined)
      return context.fail(fieldPair.key, `field names of @${family}.${alias} must be strings`);
    if (field === 'default' && !(isScalar(fieldPair.value) && typeof fieldPair.value.value === 'boolean')) {
      return context.fail(fieldPair.value ?? fieldPair.key, '`default` must be true or false');
    }
    checkTemplates(fieldPair.value, `${family}.${alias}.${field}`, context);
  }
  // toJS applies `<<: *anchor` merges, so shared settings can be written once. Aliases that expand
  // too often (an "alias bomb": each level doubling the last) are refused before they eat memory.
  let value: Record<string, unknown>;
  try {
    value = body.toJS(context.document, { maxAliasCount: MAX_ALIAS_EXPANSIONS }) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    return context.fail(
      body,
      `connection @${family}.${alias}: YAML aliases expand too often (${error.message})`,
      'write the values out instead of repeating anchors (*alias); a `<<: *shared` merge of one mapping is fine',
    );
  }
  const { default: defaultFlag, ...fields } = value;
  return {
    family,
    alias,
    isDefault: defaultFlag === true,
    fields,
    file: context.file,
    line: context.positionOf(aliasPair.key).line,
  };
}

function isEmpty(node: unknown): boolean {
  return node === undefined || node === null || (isScalar(node) && node.value === null);
}

function keyName(pair: Pair): string | undefined {
  if (isScalar(pair.key) && typeof pair.key.value === 'string') return pair.key.value;
  if (typeof pair.key === 'string') return pair.key;
  return undefined;
}

function requireName(pair: Pair, kind: 'family' | 'alias', context: ParseContext): string {
  const name = keyName(pair);
  const pattern = kind === 'family' ? FAMILY_NAME_PATTERN : ALIAS_NAME_PATTERN;
  if (name === undefined || !pattern.test(name)) {
    return context.fail(
      pair.key,
      `invalid ${kind} name ${JSON.stringify(name ?? String(pair.key))}`,
      kind === 'family'
        ? 'family names use lower case letters, digits and "_", starting with a letter (e.g. mysql, postgres)'
        : 'alias names use letters, digits, "_" and "-" (no ".", which separates family and alias in "@family.alias")',
    );
  }
  return name;
}

/** Report a malformed `${...}` where it is written rather than when it is resolved. */
function checkTemplates(node: unknown, path: string, context: ParseContext): void {
  if (isScalar(node)) {
    if (typeof node.value !== 'string') return;
    const malformed = findMalformedTemplate(node.value);
    if (malformed !== undefined) {
      context.fail(
        node,
        `malformed variable reference ${JSON.stringify(malformed)} in ${path}`,
        'write ${VAR} or ${VAR:-default}; variable names use letters, digits and "_"',
      );
    }
  } else if (isMap(node)) {
    for (const pair of node.items) checkTemplates(pair.value, `${path}.${keyName(pair) ?? '?'}`, context);
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      checkTemplates(item, `${path}[${index}]`, context);
    });
  }
}
