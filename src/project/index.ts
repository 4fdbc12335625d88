export { findProjectDir, findProjectDirFor, PROJECT_FILE_NAME } from './find-project-dir.js';
export { type InitFileAction, type InitResult, initProject } from './init-project.js';
