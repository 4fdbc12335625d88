import { describe, expect, it } from 'vitest';
import { resolveMysqlSettings } from './connection-settings.js';

const connection = (fields: Record<string, unknown>) => ({
  family: 'mysql',
  alias: 'db',
  ref: '@mysql.db',
  fields,
  secretFields: ['password', 'dsn'],
});

describe('a MySQL dsn', () => {
  it('stands for host, port, user, password and database, percent-decoded', () => {
    const settings = resolveMysqlSettings(
      connection({ dsn: 'mysql://etl%40corp:p%40ss%2Fw0rd@db.internal:3307/sales%20eu' }),
      {},
    );
    expect(settings).toMatchObject({
      host: 'db.internal',
      port: 3307,
      user: 'etl@corp',
      password: 'p@ss/w0rd',
      database: 'sales eu',
    });
  });

  it('lets explicit fields and step overrides win over its parts', () => {
    const settings = resolveMysqlSettings(
      connection({ dsn: 'mariadb://etl:pw@db.internal/sales', host: 'replica.internal', port: '' }),
      { database: 'other' },
    );
    expect(settings).toMatchObject({ host: 'replica.internal', port: 3306, user: 'etl', database: 'other' });
  });

  it('refuses what it cannot read without repeating the password', () => {
    for (const dsn of ['postgres://etl:hunter22@db/x', 'mysql://etl:hunter22@db/x?ssl=true', 'not a url']) {
      let caught: unknown;
      try {
        resolveMysqlSettings(connection({ dsn }), {});
      } catch (error) {
        caught = error;
      }
      expect(caught, dsn).toMatchObject({ code: 'E_CONNECTIONS_INVALID' });
      expect(JSON.stringify(caught) + String((caught as Error).message)).not.toContain('hunter22');
    }
  });
});
