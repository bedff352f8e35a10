/**
 * The configuration file floor: logmetrics.yml, read into pipelines (which programs read which
 * logs) and `run` settings with file:line:col errors. It knows the source patterns (tail/) to
 * validate logs, and nothing of programs: the CLI compiles what a pipeline names.
 */
export { ConfigError, loadConfig, parseConfig, readConfigText, type LogmetricsConfig, type Pipeline, type Setting, type SettingSpec } from './config.js';
