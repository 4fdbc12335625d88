import { afterEach, expect, it } from 'vitest';
import { doctorCheck } from '../../../test/support/http-doctor.js';
import { json, startApi, type TestApi } from '../rest/testing/test-api.js';

const KEY = 'phx_Planted-Doctor-Key-55';
let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const doctor = (base: string, key: string) =>
  doctorCheck(
    `  posthog:\n    main:\n      base_url: ${base}\n      project_id: 42\n      api_key: "\${POSTHOG_KEY}"\n`,
    { POSTHOG_KEY: key },
  );

it('connections doctor reads the PostHog project with the personal API key', async () => {
  api = await startApi((request, url, response) =>
    request.headers.authorization === `Bearer ${KEY}` && url.pathname === '/api/projects/42/'
      ? json(response, { id: 42, name: 'Shop' })
      : json(response, { detail: 'forbidden' }, 403),
  );
  const origin = new URL(api.base).origin;
  const ok = await doctor(origin, KEY);
  expect(ok.connectivity).toMatchObject({
    status: 'ok',
    serverVersion: `PostHog project "Shop" at ${origin}/api/projects/42/`,
  });
  const refused = await doctor(origin, 'phx_wrong-key-66');
  expect(refused.connectivity).toMatchObject({ status: 'failed', code: 'E_AUTH_FAILED' });
});
