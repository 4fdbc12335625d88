import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { describeUrl, type HttpPolicy, type HttpRequest, requestJson } from './http-request.js';

/** `auth` of a `@rest.<alias>` connection. Every secret stays in memory. */
export type RestAuth =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; user: string; password: string }
  | { type: 'api_key'; name: string; in: 'header' | 'query'; key: string }
  | { type: 'oauth2'; token_url: string; client_id: string; client_secret: string; scope?: string };

const REQUIRED: Record<RestAuth['type'], string[]> = {
  none: [],
  bearer: ['token'],
  basic: ['user', 'password'],
  api_key: ['name', 'key'],
  oauth2: ['token_url', 'client_id', 'client_secret'],
};

/** Check the connection's `auth` mapping; a problem names the field, never a value. */
export function parseAuth(value: unknown, ref: string): RestAuth {
  if (value === undefined || value === null) return { type: 'none' };
  const fields = value as Record<string, unknown>;
  const type = fields.type;
  const fail = (what: string) =>
    new OsirisError(ErrorCodes.CONNECTIONS_INVALID, `${ref}: auth ${what}`, {
      hint:
        'write auth as { type: bearer, token: ${TOKEN} }, { type: basic, user, password }, ' +
        '{ type: api_key, name: X-Api-Key, in: header|query, key: ${KEY} } or ' +
        '{ type: oauth2, token_url, client_id, client_secret, scope }.',
      details: { ref },
    });
  if (typeof value !== 'object' || Array.isArray(value)) throw fail('must be a mapping');
  if (typeof type !== 'string' || !(type in REQUIRED)) {
    throw fail(`type must be one of ${Object.keys(REQUIRED).join(', ')}`);
  }
  for (const field of REQUIRED[type as RestAuth['type']]) {
    if (typeof fields[field] !== 'string' || fields[field] === '') throw fail(`${type} needs \`${field}\``);
  }
  if (type === 'api_key') {
    const where = fields.in ?? 'header';
    if (where !== 'header' && where !== 'query') throw fail('`in` must be header or query');
    return { type, name: String(fields.name), in: where, key: String(fields.key) };
  }
  return { ...fields, type } as RestAuth;
}

/**
 * Adds credentials to requests. OAuth2 client credentials fetch one access token per step (and a
 * new one after a 401), kept in this object only.
 */
export class Authenticator {
  #token: string | undefined;

  constructor(
    private readonly auth: RestAuth,
    private readonly policy: HttpPolicy,
  ) {}

  async apply(request: HttpRequest): Promise<HttpRequest> {
    const auth = this.auth;
    const headers = { ...request.headers };
    const url = new URL(request.url);
    switch (auth.type) {
      case 'none':
        break;
      case 'bearer':
        headers.authorization = `Bearer ${auth.token}`;
        break;
      case 'basic':
        headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
        break;
      case 'api_key':
        if (auth.in === 'header') headers[auth.name.toLowerCase()] = auth.key;
        else url.searchParams.set(auth.name, auth.key);
        break;
      case 'oauth2':
        headers.authorization = `Bearer ${await this.#accessToken()}`;
        break;
    }
    return { ...request, url, headers };
  }

  /** Forget a token the API refused, so the next request fetches a new one. */
  refused(): boolean {
    if (this.auth.type !== 'oauth2' || this.#token === undefined) return false;
    this.#token = undefined;
    return true;
  }

  async #accessToken(): Promise<string> {
    if (this.#token !== undefined) return this.#token;
    const auth = this.auth as Extract<RestAuth, { type: 'oauth2' }>;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scope) form.set('scope', auth.scope);
    const tokenUrl = new URL(auth.token_url);
    const response = await requestJson(
      {
        url: tokenUrl,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(auth.client_id)}:${encodeURIComponent(auth.client_secret)}`).toString('base64')}`,
        },
        body: form.toString(),
      },
      this.policy,
    );
    const token = (response.body as { access_token?: unknown } | null)?.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new OsirisError(
        ErrorCodes.AUTH_FAILED,
        `${describeUrl(tokenUrl)} answered without an access_token`,
        { hint: 'check token_url, client_id, client_secret and scope of the connection.' },
      );
    }
    this.#token = token;
    return token;
  }
}
