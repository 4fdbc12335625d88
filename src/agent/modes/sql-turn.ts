import { assistantMessage, userMessage } from '../loop/history.js';
import { narrateSqlProposal } from '../narration.js';
import { reportFailure } from '../turn-failure.js';
import type { TurnBody, TurnScope } from '../turn-types.js';
import { buildSqlProposal } from './sql-proposal.js';

/** `SQL: …`: a proposal from the user's query, without the model. */
export async function runSqlTurn(
  scope: TurnScope,
  raw: string,
  sql: string,
  signal: AbortSignal,
  /** From the message's prefix (`SQL @pg.wh output/x.parquet: …`); they win over --connection. */
  choices: { connection?: string; output?: string } = {},
): Promise<TurnBody> {
  const { options, session, store } = scope;
  store.appendMessages(session.id, [userMessage(raw)]);
  scope.enter('INTENT_CAPTURED');
  scope.enter('OML_SYNTHESIS');
  try {
    const built = await buildSqlProposal({
      sql,
      projectDir: options.projectDir,
      env: options.env,
      registry: options.registry,
      connections: options.connections,
      discovery: options.discovery,
      session,
      signal,
      emit: scope.emit,
      ...(choices.connection || options.sqlConnection
        ? { connection: choices.connection ?? options.sqlConnection }
        : {}),
      ...(choices.output ? { output: choices.output } : {}),
    });
    scope.enter('VALIDATE');
    session.proposal = built.proposal;
    scope.enter('AWAIT_APPROVAL');
    scope.emit({ type: 'proposal', proposal: built.proposal });
    store.appendMessages(session.id, [
      assistantMessage(narrateSqlProposal(built.proposal, built.connection, built.columns)),
    ]);
    return { outcome: 'proposed', text: '' };
  } catch (error) {
    return reportFailure(scope, error, signal);
  }
}
