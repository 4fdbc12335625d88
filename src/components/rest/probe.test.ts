import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort } from '../../../test/setup/free-port.js';
import { doctorCheck } from '../../../test/support/http-doctor.js';
import { json, startApi, type TestApi } from './testing/test-api.js';

const TOKEN = 'Planted-Rest-Token-81';

/** `osiris connections doctor` for `@rest.<alias>` connections, against a real HTTP server. */
describe('the REST doctor probe', () => {
  let api: TestApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  const doctor = (base: string, token = TOKEN) =>
    doctorCheck(
      `  rest:\n    shop:\n      base_url: ${base}\n      auth: { type: bearer, token: "\${SHOP_TOKEN}" }\n`,
      { SHOP_TOKEN: token },
    );

  it('reaches the API with its auth', async () => {
    api = await startApi((request, _url, response) =>
      request.headers.authorization === `Bearer ${TOKEN}`
        ? json(response, { ok: true })
        : json(response, {}, 401),
    );
    const result = await doctor(api.base);
    expect(result.status).toBe('ok');
    expect(result.connectivity).toMatchObject({ status: 'ok', serverVersion: `HTTP 200 from ${api.base}` });
    expect(api.requests).toHaveLength(1);
  });

  it('says a refused token is an auth failure, without the token', async () => {
    api = await startApi((_request, _url, response) => json(response, { error: 'bad token' }, 401));
    const result = await doctor(api.base, 'Wrong-Token-Planted-77');
    expect(result.status).toBe('failed');
    expect(result.connectivity).toMatchObject({ status: 'failed', code: 'E_AUTH_FAILED' });
  });

  it('counts a root that is not an endpoint (404, an HTML page) as a server that answers', async () => {
    api = await startApi((_request, _url, response) => json(response, { error: 'no route' }, 404));
    const result = await doctor(api.base);
    expect(result.status).toBe('ok');
    expect(result.connectivity).toMatchObject({
      serverVersion: expect.stringMatching(/^HTTP 404 .*not an endpoint/),
    });
  });

  it('fails a server that is not there, and one that fails (5xx), without retrying', async () => {
    const port = await findFreePort();
    const absent = await doctor(`http://127.0.0.1:${port}/api`);
    expect(absent.connectivity).toMatchObject({ status: 'failed', code: 'E_CONNECTION_FAILED' });
    api = await startApi((_request, _url, response) => json(response, {}, 503));
    const failing = await doctor(api.base);
    expect(failing.connectivity).toMatchObject({ status: 'failed', code: 'E_HTTP_STATUS' });
    expect(api.requests).toHaveLength(1);
  });
});
