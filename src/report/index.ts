export {
  formatBytes,
  formatCount,
  formatDuration,
  formatRate,
  formatTimestamp,
  rowsPerSecond,
} from './format.js';
export { renderIndexPage } from './html/render-index-page.js';
export { type RunReportOptions, renderRunReport } from './html/render-run-report.js';
export { escapeHtml, html, SafeHtml } from './html/safe-html.js';
export { INDEX_FILE_NAME, reportFileName } from './report-file-name.js';
export { renderEventStream, renderRunDetails } from './text/render-run-details.js';
export { renderRunList } from './text/render-run-list.js';
export {
  type WriteReportsOptions,
  type WrittenReports,
  writeIndexPage,
  writeReports,
} from './write-reports.js';
