export * from './component.js';
export * from './connection.js';
export * from './diagnostics.js';
export * from './driver.js';
export * from './errors.js';
export * from './events.js';
export * from './manifest.js';
export * from './oml.js';
