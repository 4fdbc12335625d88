import type { DoctorProbe } from '../../connections/doctor-probe.js';
import { probeHttp } from '../rest/probe.js';

/**
 * `osiris connections doctor` for a GraphQL endpoint: the smallest query there is,
 * `{ __typename }`, posted with the connection's auth.
 */
export const graphqlProbe: DoctorProbe = (connection, signal) =>
  probeHttp(connection, signal, {
    path: '',
    method: 'POST',
    body: { query: '{ __typename }' },
    describe: (response, where) => {
      const typename = (response.body as { data?: { __typename?: unknown } } | null)?.data?.__typename;
      return typeof typename === 'string'
        ? `GraphQL at ${where} (root type ${typename})`
        : `HTTP ${response.status} from ${where}`;
    },
  });
