import { afterEach, expect, it } from 'vitest';
import { doctorCheck } from '../../../test/support/http-doctor.js';
import { json, startApi, type TestApi } from '../rest/testing/test-api.js';

const TOKEN = 'Planted-GraphQL-Token-33';
let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const doctor = (base: string, token: string) =>
  doctorCheck(
    `  graphql:\n    shop:\n      base_url: ${base}\n      auth: { type: bearer, token: "\${GQL_TOKEN}" }\n`,
    { GQL_TOKEN: token },
  );

it('connections doctor asks a GraphQL endpoint for its root type, with the connection auth', async () => {
  api = await startApi((request, _url, response) =>
    request.headers.authorization === `Bearer ${TOKEN}`
      ? json(response, { data: { __typename: 'Query' } })
      : json(response, { errors: [{ message: 'unauthorized' }] }, 401),
  );
  const ok = await doctor(api.base, TOKEN);
  expect(ok.connectivity).toMatchObject({
    status: 'ok',
    serverVersion: `GraphQL at ${api.base} (root type Query)`,
  });
  expect(JSON.parse(api.requests[0]!.body)).toEqual({ query: '{ __typename }' });
  const refused = await doctor(api.base, 'Wrong-GraphQL-Token-44');
  expect(refused.connectivity).toMatchObject({ status: 'failed', code: 'E_AUTH_FAILED' });
});
