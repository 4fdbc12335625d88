import { closestNames } from '../util/suggest.js';
import { OmlCodes } from './codes.js';
import type { DiagnosticCollector } from './diagnostic-collector.js';
import type { StepDraft } from './validate-steps.js';
import { describeType, isRecord, quoteList } from './values.js';

/** Upstream's `inputs: { df: "${extract-users.df}" }`: the step id before the first dot. */
const INPUT_REFERENCE = /^\$\{([A-Za-z0-9_-]+)(?:\.[A-Za-z0-9_]+)?\}$/;

/**
 * Works out every step's `needs`: explicit `needs`, upstream `inputs` converted to needs, or,
 * when no step declares either, the linear chain upstream Osiris assumes (each step needs the
 * previous one; read steps need nothing). Reports unknown, self and cyclic dependencies.
 * Returns needs by step index, for steps with a valid id.
 */
export function resolveDependencies(
  drafts: readonly StepDraft[],
  declaredIds: readonly string[],
  collector: DiagnosticCollector,
): Map<number, string[]> {
  const explicit = drafts.some((draft) => draft.needs !== undefined || draft.inputs !== undefined);
  const before = collector.diagnostics.length;
  const needsByIndex = explicit
    ? explicitNeeds(drafts, declaredIds, collector)
    : linearNeeds(drafts, collector);
  // A step whose dependency list was already reported as wrong is not also "without input".
  const reportedSteps = new Set(
    collector.diagnostics
      .slice(before)
      .flatMap((diagnostic) => /^\/steps\/(\d+)\//.exec(diagnostic.path ?? '')?.[1] ?? []),
  );

  for (const draft of drafts) {
    if (reportedSteps.has(String(draft.index))) continue;
    if (draft.mode === 'write' && draft.id !== undefined && needsByIndex.get(draft.index)?.length === 0) {
      collector.error(
        OmlCodes.WRITER_WITHOUT_INPUT,
        ['steps', draft.index],
        `write step \`${draft.id}\` has no upstream step to read from`,
        {
          hint: 'add `needs: [<step id>]` naming the step whose output it writes',
        },
      );
    }
  }
  reportCycles(drafts, needsByIndex, collector);
  return needsByIndex;
}

function linearNeeds(drafts: readonly StepDraft[], collector: DiagnosticCollector): Map<number, string[]> {
  const needsByIndex = new Map<number, string[]>();
  let previous: string | undefined;
  for (const draft of drafts) {
    if (draft.id === undefined) {
      previous = undefined;
      continue;
    }
    needsByIndex.set(draft.index, draft.mode === 'read' || previous === undefined ? [] : [previous]);
    previous = draft.id;
  }
  if (drafts.length > 1) {
    const chain = drafts.map((draft) => draft.id ?? `#${draft.index + 1}`).join(' → ');
    collector.warning(
      OmlCodes.LINEAR_CHAIN,
      ['steps'],
      `no step declares \`needs\`, so the steps run as a linear chain: ${chain}`,
      {
        at: 'key',
        hint: 'add `needs: [<step id>]` to steps to make the dependencies explicit',
      },
    );
  }
  return needsByIndex;
}

function explicitNeeds(
  drafts: readonly StepDraft[],
  declaredIds: readonly string[],
  collector: DiagnosticCollector,
): Map<number, string[]> {
  const needsByIndex = new Map<number, string[]>();
  for (const draft of drafts) {
    const path = ['steps', draft.index];
    const references: Array<{ id: string; path: Array<string | number> }> = [];
    if (draft.needs !== undefined) {
      if (!Array.isArray(draft.needs)) {
        collector.error(
          OmlCodes.NEEDS_INVALID,
          [...path, 'needs'],
          `\`needs\` must be a list of step ids, got ${describeType(draft.needs)}`,
          {
            hint:
              typeof draft.needs === 'string'
                ? `write \`needs: [${draft.needs}]\``
                : 'e.g. needs: [extract-movies]',
          },
        );
      } else {
        draft.needs.forEach((item, position) => {
          if (typeof item === 'string') references.push({ id: item, path: [...path, 'needs', position] });
          else
            collector.error(
              OmlCodes.NEEDS_INVALID,
              [...path, 'needs', position],
              `\`needs\` entries must be step ids, got ${describeType(item)}`,
              {
                hint: 'e.g. needs: [extract-movies]',
              },
            );
        });
      }
    }
    if (draft.inputs !== undefined) references.push(...inputReferences(draft, collector));

    if (draft.id === undefined) continue;
    const needs: string[] = [];
    for (const reference of references) {
      if (reference.id === draft.id) {
        collector.error(OmlCodes.NEEDS_SELF, reference.path, `step \`${draft.id}\` depends on itself`, {
          hint: 'a step needs the steps that produce its input; remove its own id',
        });
      } else if (!declaredIds.includes(reference.id)) {
        const suggestions = closestNames(reference.id, declaredIds, 1);
        collector.error(
          OmlCodes.NEEDS_UNKNOWN_STEP,
          reference.path,
          `step \`${draft.id}\` depends on unknown step \`${reference.id}\``,
          {
            hint: `${suggestions.length > 0 ? `did you mean \`${suggestions[0]}\`? ` : ''}steps: ${quoteList(declaredIds)}`,
          },
        );
      } else if (needs.includes(reference.id)) {
        collector.warning(
          OmlCodes.NEEDS_DUPLICATE,
          reference.path,
          `step \`${draft.id}\` lists \`${reference.id}\` twice`,
          {
            hint: 'remove the repeated entry',
          },
        );
      } else {
        needs.push(reference.id);
      }
    }
    needsByIndex.set(draft.index, needs);
  }
  return needsByIndex;
}

function inputReferences(
  draft: StepDraft,
  collector: DiagnosticCollector,
): Array<{ id: string; path: Array<string | number> }> {
  const path = ['steps', draft.index, 'inputs'];
  const shape = 'e.g. inputs: { df: "${extract-movies.df}" }, or use `needs: [extract-movies]`';
  if (!isRecord(draft.inputs)) {
    collector.error(
      OmlCodes.INPUTS_INVALID,
      path,
      `\`inputs\` must be a mapping, got ${describeType(draft.inputs)}`,
      { hint: shape },
    );
    return [];
  }
  const references: Array<{ id: string; path: Array<string | number> }> = [];
  for (const [name, value] of Object.entries(draft.inputs)) {
    const match = typeof value === 'string' ? INPUT_REFERENCE.exec(value.trim()) : null;
    if (match?.[1] === undefined) {
      collector.error(
        OmlCodes.INPUTS_INVALID,
        [...path, name],
        `input \`${name}\` must be a \`\${step_id.df}\` reference, got ${typeof value === 'string' ? `"${value}"` : describeType(value)}`,
        { hint: shape },
      );
      continue;
    }
    references.push({ id: match[1], path: [...path, name] });
  }
  return references;
}

/** Depth-first search; each cycle is reported once, at the first step (in file order) on it. */
function reportCycles(
  drafts: readonly StepDraft[],
  needsByIndex: Map<number, string[]>,
  collector: DiagnosticCollector,
): void {
  const indexById = new Map<string, number>();
  for (const draft of drafts) if (draft.id !== undefined) indexById.set(draft.id, draft.index);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];

  const visit = (id: string): void => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of needsByIndex.get(indexById.get(id)!) ?? []) {
      if (state.get(next) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(next));
        const first = cycle.reduce((a, b) => (indexById.get(a)! <= indexById.get(b)! ? a : b));
        const rotated = [
          ...cycle.slice(cycle.indexOf(first)),
          ...cycle.slice(0, cycle.indexOf(first)),
          first,
        ];
        collector.error(
          OmlCodes.DEPENDENCY_CYCLE,
          ['steps', indexById.get(first)!, 'needs'],
          `steps depend on each other in a cycle: ${rotated.map((step) => `\`${step}\``).join(' needs ')}`,
          {
            hint: 'a step can only need steps that do not (directly or indirectly) need it; remove one dependency',
          },
        );
      } else if (state.get(next) === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const draft of drafts)
    if (draft.id !== undefined && state.get(draft.id) === undefined) visit(draft.id);
}
