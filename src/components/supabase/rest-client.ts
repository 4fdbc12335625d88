import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { RestEndpoint } from './connection-modes.js';

/**
 * supabase-js for server-side batch work: no session persistence or token refresh, and `ws` as
 * the realtime transport (Node 20 has no global WebSocket, and createClient throws without one).
 */
export function createRestClient(endpoint: RestEndpoint, schema: string) {
  return createClient(endpoint.url, endpoint.key, {
    realtime: { transport: WebSocket as never },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    db: { schema },
  });
}

export type RestClient = ReturnType<typeof createRestClient>;
