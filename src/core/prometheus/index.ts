// PromQL cells: connections with `driver: prometheus`, the HTTP API, tables and SVG charts.
export { PrometheusExecutor, chartLocation, type PrometheusExecutorOptions } from './executor.js';
export { choosePrometheus, PrometheusConfigError, type PrometheusConfig } from './connection.js';
export { lineChart } from './chart.js';
export { answerTable } from './format.js';
export { planQuery, substituteQuery } from './plan.js';
export { PrometheusError, sendQuery, seriesName, type QueryAnswer, type Series } from './query.js';
