import { serveWorker } from '../runtime/worker/serve-worker.js';
import { createProjectRegistry } from './builtins.js';

/**
 * The worker process's entry point (subprocess and E2B adapters): the runtime's worker loop with
 * the built-in families and the project's own components.
 */
serveWorker({ registryFor: createProjectRegistry });
