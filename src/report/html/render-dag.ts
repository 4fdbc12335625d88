import type { StepDetails } from '../../observability/logs/run-details.js';
import { formatCount, formatDuration } from '../format.js';
import { html, type SafeHtml } from './safe-html.js';
import { statusClass, statusLabel } from './status-labels.js';

const NODE_WIDTH = 200;
const NODE_HEIGHT = 66;
const COLUMN_GAP = 70;
const ROW_GAP = 18;
const PADDING = 12;
const CENTRE_UP_TO = 8;
/** Characters that fit on a node line at the node font size (no text measuring in a static file). */
const ID_CHARACTERS = 24;
const SUB_CHARACTERS = 28;

interface PlacedNode {
  step: StepDetails;
  index: number;
  x: number;
  y: number;
}

/**
 * The pipeline as a left-to-right layered graph: one column per plan level, nodes coloured by
 * status and labelled with rows; each node links to its step card.
 */
export function renderDag(steps: StepDetails[], levels: string[][]): SafeHtml {
  const columns = orderColumns(steps, levels);
  const tallest = Math.max(1, ...columns.map((column) => column.length));
  const height = PADDING * 2 + tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP;
  const width = PADDING * 2 + columns.length * NODE_WIDTH + Math.max(0, columns.length - 1) * COLUMN_GAP;
  const indexOf = new Map(steps.map((step, index) => [step.id, index]));
  const placed = new Map<string, PlacedNode>();
  columns.forEach((column, columnIndex) => {
    const columnHeight = column.length * NODE_HEIGHT + (column.length - 1) * ROW_GAP;
    // Small graphs look best centred; in tall ones centring would push short columns out of view.
    const top = tallest <= CENTRE_UP_TO ? PADDING + (height - PADDING * 2 - columnHeight) / 2 : PADDING;
    column.forEach((step, row) => {
      placed.set(step.id, {
        step,
        index: indexOf.get(step.id) ?? 0,
        x: PADDING + columnIndex * (NODE_WIDTH + COLUMN_GAP),
        y: top + row * (NODE_HEIGHT + ROW_GAP),
      });
    });
  });
  const edges: SafeHtml[] = [];
  for (const node of placed.values()) {
    for (const need of node.step.needs) {
      const from = placed.get(need);
      if (from) edges.push(edge(from, node));
    }
  }
  return html`<svg class="dag" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Pipeline graph">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>
${edges}
${[...placed.values()].map(renderNode)}
</svg>`;
}

/**
 * Steps per level; within a level, ordered by the mean row of their needs (barycentre), which
 * keeps most edges from crossing. Steps missing from the plan go into a final column.
 */
function orderColumns(steps: StepDetails[], levels: string[][]): StepDetails[][] {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const seen = new Set<string>();
  const columns: StepDetails[][] = [];
  for (const level of levels) {
    const column = level
      .map((id) => byId.get(id))
      .filter((step): step is StepDetails => step !== undefined && !seen.has(step.id));
    for (const step of column) seen.add(step.id);
    if (column.length > 0) columns.push(column);
  }
  const rest = steps.filter((step) => !seen.has(step.id));
  if (rest.length > 0) columns.push(rest);

  const rowOf = new Map<string, number>();
  columns.forEach((column, columnIndex) => {
    if (columnIndex > 0) {
      const weight = (step: StepDetails, fallback: number) => {
        const rows = step.needs
          .map((need) => rowOf.get(need))
          .filter((row): row is number => row !== undefined);
        return rows.length === 0 ? fallback : rows.reduce((sum, row) => sum + row, 0) / rows.length;
      };
      const weighted = column.map((step, position) => ({ step, position, weight: weight(step, position) }));
      weighted.sort((left, right) => left.weight - right.weight || left.position - right.position);
      column.splice(0, column.length, ...weighted.map((item) => item.step));
    }
    column.forEach((step, row) => {
      rowOf.set(step.id, row - (column.length - 1) / 2);
    });
  });
  return columns;
}

function edge(from: PlacedNode, to: PlacedNode): SafeHtml {
  const x1 = from.x + NODE_WIDTH;
  const y1 = from.y + NODE_HEIGHT / 2;
  const x2 = to.x - 2;
  const y2 = to.y + NODE_HEIGHT / 2;
  const bend = Math.max(30, (x2 - x1) / 2);
  const dim = from.step.status !== 'success';
  return html`<path class="edge${dim ? ' dim' : ''}" d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" marker-end="url(#arrow)"/>`;
}

function renderNode(node: PlacedNode): SafeHtml {
  const { step, x, y } = node;
  const outcome =
    step.status === 'success' || step.rows > 0
      ? `${formatCount(step.rows)} rows${step.durationMs !== undefined ? ` · ${formatDuration(step.durationMs)}` : ''}`
      : statusLabel(step.status).toLowerCase();
  const title = [
    `${step.id} (${step.component})`,
    `status: ${statusLabel(step.status)}`,
    `rows: ${formatCount(step.rows)}`,
    step.durationMs !== undefined ? `duration: ${formatDuration(step.durationMs)}` : '',
    step.error ? `${step.error.code}: ${step.error.message}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return html`<a href="#step-${node.index}" class="node ${statusClass(step.status)}" data-step="${step.id}">
<title>${title}</title>
<rect class="box" x="${x}" y="${y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="9"/>
<rect class="stripe" x="${x}" y="${y}" width="5" height="${NODE_HEIGHT}" rx="2"/>
<text class="id" x="${x + 16}" y="${y + 22}">${truncate(step.id, ID_CHARACTERS)}</text>
<text class="sub" x="${x + 16}" y="${y + 39}">${truncate(step.component, SUB_CHARACTERS)}</text>
<text class="outcome" x="${x + 16}" y="${y + 55}">${truncate(outcome, SUB_CHARACTERS)}</text>
</a>`;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
