import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, LineCounter, type Node, parseDocument } from 'yaml';
import type { ComponentDefinition, ComponentOrigin, ComponentSpec } from '../spec/component.js';
import type { Diagnostic } from '../spec/diagnostics.js';
import { DRIVER_API_VERSION, SUPPORTED_DRIVER_API_VERSIONS } from '../spec/driver-api.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { importProjectDriver } from './project-driver.js';
import { validateSpec } from './validate-spec.js';

/** The project folder holding user components, one `<family>.<kind>/` folder each. */
export const PROJECT_COMPONENTS_FOLDER = 'components';
export const SPEC_FILE = 'spec.yaml';
/** Driver file names, in the order they are looked for (an ES module; `.ts` must be compiled first). */
export const DRIVER_FILES = ['driver.js', 'driver.mjs'] as const;

/** A problem with a project component, located in its files. */
export interface ComponentProblem {
  code: string;
  message: string;
  hint?: string;
  /** Project-relative file. */
  file: string;
  line?: number;
  column?: number;
}

/**
 * The component folders of a project: every `components/<name>/` holding a spec.yaml, sorted by
 * name. Folders without one (shared helpers) are not components.
 */
export function projectComponentFolders(projectDir: string): string[] {
  const root = join(projectDir, PROJECT_COMPONENTS_FOLDER);
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .filter((name) => existsSync(join(root, name, SPEC_FILE)))
    .sort()
    .map((name) => join(root, name));
}

/**
 * Read and check one component folder: spec.yaml valid against the same JSON Schema as the
 * built-ins, a supported `api_version`, a folder named after the component and a driver file.
 * Returns the definition (driver loaded lazily) or every problem found, located in the files.
 */
export function readProjectComponent(
  directory: string,
  projectDir: string,
): { definition?: ComponentDefinition; problems: ComponentProblem[] } {
  const folderName = directory.split(/[\\/]/).pop() ?? '';
  const relativeFolder = `${PROJECT_COMPONENTS_FOLDER}/${folderName}`;
  const specFile = `${relativeFolder}/${SPEC_FILE}`;
  const problems: ComponentProblem[] = [];
  let specText: string;
  try {
    specText = readFileSync(join(directory, SPEC_FILE), 'utf8');
  } catch (error) {
    problems.push({
      code: ErrorCodes.COMPONENT_INVALID,
      message: `${specFile}: cannot be read (${(error as Error).message})`,
      file: specFile,
    });
    return { problems };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(specText, { lineCounter, uniqueKeys: true });
  const locate = (node: unknown) => {
    const { line, col } = lineCounter.linePos((node as Node | undefined)?.range?.[0] ?? 0);
    return { line: Math.max(line, 1), column: col };
  };
  const [syntaxError] = document.errors;
  if (syntaxError) {
    const start = syntaxError.linePos?.[0] ?? { line: 1, col: 1 };
    problems.push({
      code: ErrorCodes.COMPONENT_INVALID,
      message: `${specFile}:${start.line}:${start.col}: invalid YAML: ${syntaxError.message.split('\n')[0]}`,
      file: specFile,
      line: start.line,
      column: start.col,
    });
    return { problems };
  }
  const spec = document.toJS() as ComponentSpec;
  const label = typeof spec?.name === 'string' ? spec.name : folderName;
  const at = (path: string, message: string, code: string = ErrorCodes.COMPONENT_INVALID, hint?: string) => {
    const position = locate(nodeAt(document.contents, path));
    problems.push({
      code,
      message: `${specFile}:${position.line}:${position.column}: ${message}`,
      file: specFile,
      ...position,
      ...(hint ? { hint } : {}),
    });
  };
  for (const diagnostic of validateSpec(spec) as Diagnostic[]) {
    at(diagnostic.path ?? '/', diagnostic.message, ErrorCodes.COMPONENT_INVALID, diagnostic.hint);
  }
  if (!isMap(document.contents)) return { problems };
  if (spec.api_version === undefined) {
    at(
      '/api_version',
      `component ${label}: /api_version is missing`,
      ErrorCodes.COMPONENT_INVALID,
      `add \`api_version: ${DRIVER_API_VERSION}\`: the driver API version the component is written for.`,
    );
  } else if (
    typeof spec.api_version === 'number' &&
    !SUPPORTED_DRIVER_API_VERSIONS.includes(spec.api_version)
  ) {
    at(
      '/api_version',
      `component ${label} was written for driver API version ${spec.api_version}; this Osiris provides version ${DRIVER_API_VERSION}`,
      ErrorCodes.COMPONENT_API_VERSION,
      `update the driver to driver API version ${DRIVER_API_VERSION} (see \`osiris-etl/driver\`) and set \`api_version: ${DRIVER_API_VERSION}\`, or use the Osiris version it was written for.`,
    );
  }
  if (typeof spec.name === 'string' && spec.name !== folderName) {
    at(
      '/name',
      `component ${label}: the folder is ${relativeFolder}, but the spec names "${spec.name}"`,
      ErrorCodes.COMPONENT_INVALID,
      `name the folder after the component: ${PROJECT_COMPONENTS_FOLDER}/${spec.name}/`,
    );
  }
  const driverName = DRIVER_FILES.find((name) => existsSync(join(directory, name)));
  if (!driverName) {
    problems.push({
      code: ErrorCodes.COMPONENT_INVALID,
      message: `component ${label}: ${relativeFolder}/ has no driver.js`,
      hint: 'write the driver as an ES module exporting `run` (or `driver` with a `run` method); compile TypeScript to driver.js first.',
      file: `${relativeFolder}/driver.js`,
    });
  }
  if (problems.length > 0 || !driverName) return { problems };
  const driverFile = `${relativeFolder}/${driverName}`;
  const driverText = readFileSync(join(directory, driverName));
  const origin: ComponentOrigin = {
    kind: 'project',
    directory,
    specFile,
    driverFile,
    contentHash: `sha256:${createHash('sha256').update(specText).update('\0').update(driverText).digest('hex')}`,
  };
  return {
    definition: { spec, origin, loadDriver: () => importProjectDriver(spec, origin, projectDir) },
    problems,
  };
}

/**
 * Every component of the project, checked; the first problem is thrown as an OsirisError naming
 * the component and file (E_COMPONENT_INVALID, or E_COMPONENT_API_VERSION), and a project
 * component may not take a name in `reserved` (the built-ins).
 */
export function loadProjectComponents(
  projectDir: string,
  reserved: ReadonlySet<string>,
): ComponentDefinition[] {
  const definitions: ComponentDefinition[] = [];
  for (const directory of projectComponentFolders(projectDir)) {
    const { definition, problems } = readProjectComponent(directory, projectDir);
    const first = problems[0];
    if (first || !definition) throw problemError(first!, problems);
    const name = definition.spec.name;
    if (reserved.has(name)) {
      const file = definition.origin!.specFile;
      throw new OsirisError(
        ErrorCodes.COMPONENT_INVALID,
        `${file}: the project component ${name} has the name of a built-in component`,
        {
          hint: `a project component cannot replace a built-in one: give it its own family, e.g. rename ${PROJECT_COMPONENTS_FOLDER}/${name}/ and its spec name to my_${name}.`,
          details: { component: name, file },
        },
      );
    }
    definitions.push(definition);
  }
  return definitions;
}

export function problemError(first: ComponentProblem, all: readonly ComponentProblem[]): OsirisError {
  const more = all.length > 1 ? ` (and ${all.length - 1} more problems)` : '';
  return new OsirisError(first.code as typeof ErrorCodes.COMPONENT_INVALID, `${first.message}${more}`, {
    hint: first.hint ?? `fix ${first.file}; \`osiris components validate\` lists every problem.`,
    details: {
      file: first.file,
      ...(first.line === undefined ? {} : { line: first.line, column: first.column }),
      problems: all.map((problem) => problem.message),
    },
  });
}

/** The YAML node a JSON pointer names, or its nearest existing ancestor (for a missing key). */
function nodeAt(root: unknown, pointer: string): unknown {
  const segments = pointer
    .split('/')
    .slice(1)
    .filter((segment) => segment.length > 0)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = root;
  for (const segment of segments) {
    const container = node as { get?: (key: unknown, keepScalar: boolean) => unknown } | undefined;
    const key = /^\d+$/.test(segment) ? Number(segment) : segment;
    const child = container?.get?.(key, true);
    if (child === undefined || child === null) break;
    node = child;
  }
  return node;
}
