// The daemon's HTTP side: /metrics (Prometheus text or OpenMetrics, gzip),
// /json, /healthz and a status page, with the exporter-toolkit web config.
export type { ProgramLogStatus, ProgramStatus, SourceStatus, StatusSource, ServerOptions } from './types.js';
export { ExporterServer } from './server.js';
export { loadWebConfig, parseWebConfig, WebConfigError, type WebConfig } from './webconfig.js';
export { negotiateFormat, acceptsGzip, type MetricsFormat } from './negotiate.js';
