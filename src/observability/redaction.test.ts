import { describe, expect, it } from 'vitest';
import { isSecretKey, Redactor, secretValuesFromEnv } from './redaction.js';

describe('Redactor', () => {
  const redactor = new Redactor(['hunter2-secret', 'abc']);

  it('masks known secret values inside text', () => {
    expect(redactor.text('login failed for hunter2-secret!')).toBe('login failed for ***!');
  });

  it('ignores values too short to be told apart from ordinary text', () => {
    expect(redactor.text('abc def')).toBe('abc def');
  });

  it('masks passwords in connection URLs it was never told about', () => {
    expect(redactor.text('postgres://bob:pa55word@db:5432/x')).toBe('postgres://bob:***@db:5432/x');
  });

  it('masks secret-named fields but keeps connection references and primary keys', () => {
    expect(
      redactor.value({ password: 'x', connection: '@mysql.db', nested: { api_key: 'k', primary_key: 'id' } }),
    ).toEqual({ password: '***', connection: '@mysql.db', nested: { api_key: '***', primary_key: 'id' } });
  });

  it('turns bigint into exact strings', () => {
    expect(redactor.value({ rows: 9007199254740993n })).toEqual({ rows: '9007199254740993' });
  });
});

describe('secret detection', () => {
  it('knows secret names and leaves ordinary ones', () => {
    expect(isSecretKey('password')).toBe(true);
    expect(isSecretKey('SUPABASE_SERVICE_ROLE_KEY'.toLowerCase())).toBe(true);
    expect(isSecretKey('primary_key')).toBe(false);
    expect(isSecretKey('host')).toBe(false);
  });

  it('collects secret values from the environment', () => {
    expect(secretValuesFromEnv({ MYSQL_PASSWORD: 'p4ssw0rd', HOME: '/root' })).toEqual(['p4ssw0rd']);
    // PWD ends like a secret name but is the working directory, which must stay readable.
    expect(secretValuesFromEnv({ PWD: '/work/project', OLDPWD: '/work' })).toEqual([]);
  });
});
