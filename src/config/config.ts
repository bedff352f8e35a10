// logmetrics.yml (`run --config`, `check --config`): pipelines that bind programs to the logs
// they are for, and any other `run` setting under its long option name. Read with the same
// YAML reader as the web config, so every error names file:line:col; an unknown key is an
// error with the nearest known one. Relative paths are resolved against the file's folder,
// as Prometheus does for the files its configuration names.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Node } from 'yaml';
import { parseSourcePattern } from '../tail/sourcePattern.js';
import { didYouMean, parseYaml, type YamlReader } from '../yaml/reader.js';

/** A logmetrics.yml that cannot be used; the message starts with `file:line:col:` or `file:`. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A `run` setting the file may hold, as the command line defines it. */
export interface SettingSpec {
  /** The long option name without its dashes (`state-dir`; `prog-label` for --no-prog-label). */
  key: string;
  /** flag: true or false; value: one value; list: a value or a list (a repeatable option); pairs: a mapping of name: value. */
  kind: 'flag' | 'value' | 'list' | 'pairs';
  /** Converts one value as the command line would (`previous` is what the option held so far); throws with a message. */
  parse?: (text: string, previous: unknown) => unknown;
  /** A file or folder: a relative value is resolved against the config file's folder. */
  path?: boolean;
}

/** One setting read from the file, converted. */
export interface Setting {
  key: string;
  value: unknown;
  /** file:line:col of the key. */
  where: string;
}

/** One pipeline: the lines of these logs go to these programs. */
export interface Pipeline {
  name: string;
  where: string;
  /** Source patterns, absolute (paths, globs, -, unix://, tcp://, udp://). */
  logs: string[];
  /** Absolute paths of .mtail files or directories of them. */
  programs: string[];
  /** file:line:col of each entry of programs, by path. */
  programsAt: Map<string, string>;
}

/** A validated logmetrics.yml. */
export interface LogmetricsConfig {
  file: string;
  /** The text read, to tell whether a changed file changed anything. */
  text: string;
  pipelines: Pipeline[];
  /** By key, in file order. */
  settings: Map<string, Setting>;
}

const PIPELINE_FIELDS = ['name', 'logs', 'programs'] as const;

/** Reads and validates `file`; throws ConfigError with file:line:col. */
export function loadConfig(file: string, specs: readonly SettingSpec[]): LogmetricsConfig {
  return parseConfig(readConfigText(file), file, specs);
}

/** The text of a config file; throws ConfigError when it cannot be read. */
export function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read the config file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Validates the text of a logmetrics.yml; relative paths are resolved against `file`'s folder. */
export function parseConfig(text: string, file: string, specs: readonly SettingSpec[]): LogmetricsConfig {
  const { doc, reader } = parseYaml(text, file, { error: (m) => new ConfigError(m) });
  const dir = path.dirname(path.resolve(file));
  const byKey = new Map(specs.map((s) => [s.key, s]));
  const top = reader.fields(doc.contents, 'the config file', undefined);
  const config: LogmetricsConfig = { file, text, pipelines: [], settings: new Map() };
  if (top.size === 0) reader.fail(doc.contents, 'the config file is empty: it needs at least `pipelines:`');
  for (const [key, field] of top) {
    if (key === 'pipelines') {
      config.pipelines = readPipelines(reader, field.value, dir);
      continue;
    }
    if (key === 'progs' || key === 'logs') {
      reader.fail(field.key, `"${key}" goes in a pipeline: pipelines: [{ logs: [...], programs: [...] }]`);
    }
    if (key === 'config') reader.fail(field.key, 'a config file cannot name another one');
    const spec = byKey.get(key);
    if (spec === undefined) {
      // `no-prog-label: true` is the command line's spelling of `prog-label: false`.
      const negated = key.startsWith('no-') ? byKey.get(key.slice(3)) : undefined;
      if (negated?.kind === 'flag') reader.fail(field.key, `unknown setting "${key}": write "${negated.key}: false"`);
      const near = didYouMean(key, ['pipelines', ...byKey.keys()]);
      return reader.fail(field.key, `unknown setting "${key}"${near ? ` (did you mean "${near}"?)` : ''}; the settings are the long options of \`logmetrics run\` (see run --help)`);
    }
    config.settings.set(key, { key, value: readSetting(reader, spec, field.value, dir), where: reader.where(field.key) });
  }
  if (!top.has('pipelines')) reader.fail(doc.contents, 'no pipelines: say which programs read which logs under `pipelines:`');
  return config;
}

function readSetting(reader: YamlReader, spec: SettingSpec, node: Node | null, dir: string): unknown {
  const what = spec.key;
  const convert = (text: string, at: Node | null, previous: unknown): unknown => {
    const value = spec.path && text !== '' ? path.resolve(dir, text) : text;
    if (spec.parse === undefined) return value;
    try {
      return spec.parse(value, previous);
    } catch (err) {
      return reader.fail(at, `${what}: ${(err as Error).message}`);
    }
  };
  switch (spec.kind) {
    case 'flag': {
      const b = reader.bool(node, what);
      if (b === undefined) reader.fail(node, `${what} must be true or false`);
      return b;
    }
    case 'value': {
      const text = reader.text(node, what);
      if (text === undefined) reader.fail(node, `${what} needs a value`);
      return convert(text, node, undefined);
    }
    case 'list': {
      const items = reader.texts(node, what);
      if (items === undefined || items.length === 0) reader.fail(node, `${what} needs a value or a list of them`);
      let value: unknown = undefined;
      for (const item of items) value = convert(item.text, item.node, value);
      return value;
    }
    case 'pairs': {
      let value: unknown = undefined;
      for (const [name, f] of reader.fields(node, what, undefined)) {
        const v = reader.text(f.value, `${what}.${name}`) ?? '';
        // The command line's form of one pair.
        value = convert(`${name}=${v}`, f.key, value);
      }
      return value;
    }
  }
}

function readPipelines(reader: YamlReader, node: Node | null, dir: string): Pipeline[] {
  const items = node === null ? [] : reader.list(node, 'pipelines');
  if (items.length === 0) reader.fail(node, 'pipelines: give at least one pipeline (logs: and programs:)');
  const names = new Map<string, string>();
  return items.map((item, i) => {
    const what = `pipelines[${i}]`;
    const f = reader.fields(item, what, PIPELINE_FIELDS);
    const nameField = f.get('name');
    const name = (nameField && reader.string(nameField.value, `${what}.name`)) || `pipeline ${i + 1}`;
    const seen = names.get(name);
    if (seen !== undefined) reader.fail(nameField?.value ?? item, `${what}: the name "${name}" is taken by the pipeline at ${seen}`);
    names.set(name, reader.where(item));
    const logsField = f.get('logs');
    const programsField = f.get('programs');
    if (logsField === undefined) reader.fail(item, `${what} (${name}): no logs: say which logs its programs read`);
    if (programsField === undefined) reader.fail(item, `${what} (${name}): no programs: say which programs read its logs`);
    const logs = nonEmpty(reader, logsField.value ?? logsField.key, `${what}.logs`).map(({ text, node }) => {
      try {
        const spec = parseSourcePattern(text, dir);
        return spec.kind === 'files' ? spec.glob.pattern : spec.kind === 'unix' ? `unix://${spec.path}` : text;
      } catch (err) {
        return reader.fail(node, `${what}.logs: ${(err as Error).message}`);
      }
    });
    const programsAt = new Map<string, string>();
    for (const { text, node } of nonEmpty(reader, programsField.value ?? programsField.key, `${what}.programs`)) {
      const p = path.resolve(dir, text);
      if (!programsAt.has(p)) programsAt.set(p, reader.where(node));
    }
    return { name, where: reader.where(item), logs: [...new Set(logs)], programs: [...programsAt.keys()], programsAt };
  });
}

/** A string or a list of strings, at least one, none empty. */
function nonEmpty(reader: YamlReader, node: Node, what: string): { text: string; node: Node }[] {
  const items = reader.texts(node, what);
  if (items === undefined || items.length === 0) reader.fail(node, `${what}: give at least one`);
  for (const { text, node: n } of items) if (text.trim() === '') reader.fail(n, `${what}: an empty entry`);
  return items;
}
