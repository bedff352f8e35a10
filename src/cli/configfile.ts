// `--config logmetrics.yml` on the command line: the settings the file may hold are the long
// options of `run` (taken from its commander definition, so the two cannot drift apart), the
// values go through the same parsers as on the command line, and a flag given on the command
// line wins over the file.

import type { Command, Option } from 'commander';
import { ConfigError, loadConfig, type LogmetricsConfig, type SettingSpec } from '../config/index.js';
import type { Binding } from '../runtime/programs.js';

/** Options of `run` that are not settings of the file: pipelines replace --progs and --logs. */
const NOT_SETTINGS = new Set(['config', 'progs', 'logs', 'help']);

/** The settings a config file may hold: every long option of `run` but --config, --progs and --logs. */
export function settingSpecs(run: Command): SettingSpec[] {
  return run.options.flatMap((o): SettingSpec[] => {
    if (o.long === undefined) return [];
    const key = o.long.slice(2).replace(/^no-/, '');
    if (NOT_SETTINGS.has(key)) return [];
    if (o.isBoolean()) return [{ key, kind: 'flag' }];
    return [{ key, kind: kindOf(o), parse: parserOf(o), path: /<(file|dir|path)>/.test(o.flags) }];
  });
}

/** A repeatable option collects its values; one taking name=value pairs reads as a mapping in the file. */
function kindOf(o: Option): SettingSpec['kind'] {
  if (/<name=value>/.test(o.flags)) return 'pairs';
  return /\(repeatable/.test(o.description) ? 'list' : 'value';
}

function parserOf(o: Option): SettingSpec['parse'] {
  const choices = o.argChoices;
  const parse = o.parseArg;
  return (text, previous) => {
    if (choices !== undefined && !choices.includes(text)) throw new Error(`expected one of ${choices.join(', ')}, got "${text}"`);
    if (parse === undefined) return text;
    // A repeatable option starts from its default, as on the command line.
    return parse(text, previous === undefined ? o.defaultValue : previous);
  };
}

/**
 * Puts the file's settings into `run`'s option values, except those given on the command line.
 * Returns the keys the command line overrode.
 */
export function applySettings(run: Command, config: LogmetricsConfig): string[] {
  const overridden: string[] = [];
  for (const setting of config.settings.values()) {
    const option = run.options.find((o) => o.long === `--${setting.key}` || o.long === `--no-${setting.key}`)!;
    const attr = option.attributeName();
    if (run.getOptionValueSource(attr) === 'cli') {
      overridden.push(setting.key);
      continue;
    }
    run.setOptionValueWithSource(attr, setting.value, 'config');
  }
  return overridden;
}

/** The pipelines of a config file as the runtime binds them, and every log they name once. */
export function bindingsOf(config: LogmetricsConfig): { bindings: Binding[]; logs: string[] } {
  const bindings = config.pipelines.map((p) => ({ logs: p.logs, programs: p.programs }));
  return { bindings, logs: [...new Set(config.pipelines.flatMap((p) => p.logs))] };
}

/** Reads a config file for `run`, as loadConfig() does. */
export function readRunConfig(run: Command, file: string): LogmetricsConfig {
  return loadConfig(file, settingSpecs(run));
}

/** The settings whose values differ between two readings of the file (they take effect at a restart). */
export function changedSettings(before: LogmetricsConfig, after: LogmetricsConfig): string[] {
  const keys = new Set([...before.settings.keys(), ...after.settings.keys()]);
  return [...keys].filter((k) => JSON.stringify(before.settings.get(k)?.value) !== JSON.stringify(after.settings.get(k)?.value));
}

export { ConfigError };
