import { finished } from 'node:stream/promises';
import type { FieldPacket } from 'mysql2';
import { CancelledError, ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { CsvSource } from '../postgres/csv-into-data-plane.js';
import type { MysqlSession } from './client.js';
import { CsvRowWriter } from './csv-row-writer.js';
import type { SourceColumn } from './source-columns.js';

/** The parts of mysql2's text-protocol packet the row transcoder reads (lib/packets/packet.js). */
interface RowPacket {
  buffer: Buffer;
  /** First payload byte (after the 4-byte header). */
  offset: number;
  end: number;
  isEOF(): boolean;
}

/**
 * mysql2's query command is a state machine: each state handles one packet and returns the next
 * state. After the column definitions it moves to `this.row`, so an own `row` on the instance
 * receives every row packet before mysql2 builds a JS value from it. That is the one hook that
 * avoids a JS value per cell; everything else (connection, auth, TLS, errors) stays mysql2's.
 */
interface QueryCommand extends NodeJS.EventEmitter {
  row: (this: QueryCommand, packet: RowPacket, connection: unknown) => unknown;
}

export interface CsvRowSourceOptions {
  /** Called with the rows sent so far, every `progressEvery` rows. */
  onProgress?: (rows: number) => void;
  progressEvery: number;
  /** Longest CSV line the reader accepts; a longer row fails the step with a hint. */
  maxLineBytes: number;
}

/**
 * Start `sql` and wait for its column definitions; rows then wait (the socket paused) until
 * `source.pipeTo` gives them somewhere to go as CSV bytes. The socket also pauses whenever the
 * pipe is full, so memory stays at a chunk or two whatever the table size.
 */
export async function startCsvRowQuery(
  session: MysqlSession,
  sql: string,
  columnsOf: (fields: FieldPacket[]) => SourceColumn[],
  options: CsvRowSourceOptions,
): Promise<{ columns: SourceColumn[]; source: CsvSource }> {
  const raw = session.raw;
  let writer: CsvRowWriter | undefined;
  let rows = 0;
  let stopped = false;

  // mysql2 never tells a query in flight that its connection died; the session does.
  let failWith: (error: unknown) => void = () => undefined;
  const lost = new Promise<never>((_, reject) => {
    failWith = reject;
  });
  lost.catch(() => undefined);
  const stopWatchingLoss = session.onLost((error) => failWith(error));

  let fieldsArrived: (fields: FieldPacket[]) => void = () => undefined;
  let noFields: (error: unknown) => void = () => undefined;
  const fields = new Promise<FieldPacket[]>((resolve, reject) => {
    fieldsArrived = resolve;
    noFields = reject;
  });
  // No callback: a failure of the connection then reaches the session (`onLost`, E_CONNECTION_LOST
  // or E_TIMEOUT), and a statement error arrives as this query's 'error'.
  const query = raw.query({ sql }) as unknown as QueryCommand;
  const done = new Promise<void>((resolve, reject) => {
    query.on('error', (error: unknown) => {
      reject(error);
      noFields(error);
    });
    query.once('end', () => {
      resolve();
      noFields(noResultSet());
    });
    const libraryRow = Object.getPrototypeOf(query).row as QueryCommand['row'];
    const row: QueryCommand['row'] = function (this: QueryCommand, packet, connection) {
      // End of the result (or of one result of several): mysql2's own handling finishes the command.
      if (packet.isEOF()) return libraryRow.call(this, packet, connection);
      if (stopped || !writer) return row;
      try {
        writer.row(packet.buffer, packet.offset, packet.end);
      } catch (error) {
        stopped = true;
        session.destroy(error instanceof Error ? error : new Error(String(error)));
        return row;
      }
      rows += 1;
      if (rows % options.progressEvery === 0) options.onProgress?.(rows);
      return row;
    };
    query.row = row;
    query.once('fields', (columns: FieldPacket[] | undefined) => {
      if (!columns) return; // a statement without a result set: `done` says so
      // Hold the rows until the reader is ready: nothing may be written before the pipe is open.
      raw.pause();
      fieldsArrived(columns);
    });
  });
  done.catch(() => undefined);

  let columns: SourceColumn[];
  try {
    columns = columnsOf(await Promise.race([fields, lost]));
  } catch (error) {
    stopWatchingLoss();
    throw error;
  }

  const source: CsvSource = {
    async pipeTo(sink) {
      let resultEnded = false;
      try {
        if (stopped) throw new CancelledError('the extract was stopped before it started');
        writer = new CsvRowWriter(
          columns.map((column) => column.cell),
          (chunk) => {
            // Once the result has ended the connection must not pause again: 'drain' never
            // comes after end(), and the session's next statement (COMMIT) would wait forever.
            if (!sink.destroyed && !sink.write(chunk) && !resultEnded) raw.pause();
          },
          { maxLineBytes: options.maxLineBytes },
        );
        sink.on('drain', () => raw.resume());
        const sinkFailed = new Promise<never>((_, reject) => sink.once('error', reject));
        sinkFailed.catch(() => undefined);
        raw.resume();
        await Promise.race([done, lost, sinkFailed]);
        resultEnded = true;
        writer.flush();
        sink.end();
        await Promise.race([finished(sink), lost]);
        return rows;
      } finally {
        stopWatchingLoss();
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      // The only way to stop a result in flight: the server would otherwise send every row.
      session.destroy(new CancelledError(`${session.settings.ref}: the extract was stopped`));
    },
  };
  return { columns, source };
}

function noResultSet(): OsirisError {
  return new OsirisError(ErrorCodes.QUERY_FAILED, 'mysql.extractor: the query returned no rows to read', {
    hint: '`query` must be a SELECT (or another statement that returns a result set)',
  });
}
