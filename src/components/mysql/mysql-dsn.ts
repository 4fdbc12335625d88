import { ErrorCodes, OsirisError } from '../../spec/errors.js';

const SCHEMES = new Set(['mysql:', 'mariadb:']);

/**
 * The fields a `dsn` (or `url`) of a MySQL connection stands for:
 * `mysql://user:password@host:port/database` (or `mariadb://`), parts percent-encoded.
 * Explicit fields of the connection win over the DSN's parts, as for PostgreSQL. The DSN holds a
 * password, so no error ever repeats it.
 */
export function mysqlDsnFields(fields: Record<string, unknown>, ref: string): Record<string, unknown> {
  const key = typeof fields.dsn === 'string' && fields.dsn !== '' ? 'dsn' : 'url';
  const dsn = fields[key];
  if (typeof dsn !== 'string' || dsn === '') return {};
  const invalid = (problem: string) =>
    new OsirisError(ErrorCodes.CONNECTIONS_INVALID, `${ref}: \`${key}\` ${problem}`, {
      hint:
        `write it as mysql://user:password@host:3306/database (percent-encode special characters), ` +
        'or use the fields host, port, user, password and database instead',
      details: { ref, field: key },
    });
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw invalid('is not a URL');
  }
  if (!SCHEMES.has(url.protocol)) throw invalid('must start with mysql:// or mariadb://');
  const unsupported = [...url.searchParams.keys()];
  if (unsupported.length > 0) {
    throw invalid(`has options this connector does not read (${unsupported.join(', ')})`);
  }
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw invalid(`has a badly percent-encoded ${what}`);
    }
  };
  const parts: Record<string, unknown> = {};
  if (url.hostname) parts.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.port) parts.port = Number(url.port);
  if (url.username) parts.user = decode(url.username, 'user');
  if (url.password) parts.password = decode(url.password, 'password');
  const database = url.pathname.replace(/^\//, '');
  if (database.includes('/')) throw invalid('has more than one path segment; the path is the database name');
  if (database) parts.database = decode(database, 'database');
  return parts;
}
