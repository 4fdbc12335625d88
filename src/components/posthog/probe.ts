import type { DoctorProbe } from '../../connections/doctor-probe.js';
import { probeHttp } from '../rest/probe.js';
import { posthogApi } from './posthog-api.js';

/** `osiris connections doctor` for PostHog: the project itself, read with the personal API key. */
export const posthogProbe: DoctorProbe = (connection, signal) => {
  const api = posthogApi(connection);
  return probeHttp(api.connection!, signal, {
    path: `/api/projects/${encodeURIComponent(api.projectId)}/`,
    describe: (response, where) => {
      const name = (response.body as { name?: unknown } | null)?.name;
      return typeof name === 'string'
        ? `PostHog project "${name}" at ${where}`
        : `HTTP ${response.status} from ${where}`;
    },
  });
};
