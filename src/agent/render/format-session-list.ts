import pc from 'picocolors';
import { formatTimestamp } from '../../report/format.js';
import type { SessionSummary } from '../session/session-types.js';

/** `osiris chat sessions` as a table: id, last activity, state, size, tokens, title. */
export function formatSessionList(sessions: readonly SessionSummary[], currentId?: string): string {
  if (sessions.length === 0) return 'No chat sessions yet. Start one with: osiris chat';
  const rows = sessions.map((session) => [
    `${session.id === currentId ? '*' : ' '} ${session.id}`,
    formatTimestamp(session.updatedAt),
    session.pendingPipeline ? `${session.state} (${session.pendingPipeline})` : session.state,
    String(session.messages),
    `${session.inputTokens}/${session.outputTokens}`,
    session.title || pc.dim('(empty)'),
  ]);
  const header = ['  session', 'last active', 'state', 'messages', 'tokens in/out', 'first message'];
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => visibleLength(row[index] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) =>
        index === cells.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - visibleLength(cell)),
      )
      .join('  ');
  return [pc.dim(line(header)), ...rows.map(line)].join('\n');
}

function visibleLength(text: string): number {
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
