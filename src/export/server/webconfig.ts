// The Prometheus exporter-toolkit web configuration file (--web.config.file in
// Prometheus exporters): TLS, basic auth users with bcrypt hashes, extra
// response headers. Read once at start-up. Like the toolkit (which decodes
// strictly), an unknown field is an error; so is a known field we cannot honour,
// since silently ignoring security settings is worse than refusing to start.
// Every error names the file and, where it can, the line and column.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Node } from 'yaml';
import { parseYaml, type YamlReader } from '../../yaml/reader.js';
import { readTlsConfig, type TlsSettings } from './tlsconfig.js';

export type { ClientAuthType, TlsSettings } from './tlsconfig.js';

/** A web config file that cannot be used; the message starts with `file:line:col:` or `file:`. */
export class WebConfigError extends Error {
  override name = 'WebConfigError';
}

/** A validated web config. */
export interface WebConfig {
  file: string;
  /** Present when the file configures TLS: serve HTTPS. */
  tls?: TlsSettings;
  /** User name → bcrypt hash; empty means no authentication. */
  users: Map<string, string>;
  /** Extra headers for every response. */
  headers: Record<string, string>;
}

// The headers the toolkit lets a config set, with their allowed values where it enumerates them.
const ALLOWED_HEADERS: Record<string, readonly string[] | undefined> = {
  'Strict-Transport-Security': undefined,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': undefined,
  'Content-Security-Policy': undefined,
};

// $2a$/$2b$/$2y$, a two-digit cost from 04 to 31, 22 characters of salt and 31 of hash.
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

/**
 * The highest bcrypt cost accepted. Each step doubles the work: at 14 one check takes about a
 * second in bcryptjs (a tenth of Prometheus' default scrape timeout), at 31 days. Checks are
 * remembered once they succeed, but every wrong password pays the full cost, so a hash with
 * a higher cost would hand anyone who can reach the port a core for that long per request.
 * Go's bcrypt.DefaultCost is 10; htpasswd -B uses 5 unless told otherwise.
 */
export const MAX_BCRYPT_COST = 14;

/** Reads and validates the web config `file`; throws WebConfigError naming the file and the problem. */
export function loadWebConfig(file: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new WebConfigError(`${file}: cannot read the web config: ${(err as Error).message}`);
  }
  return parseWebConfig(text, file);
}

/** Validates the text of a web config; relative file names in it are resolved against `file`'s folder. */
export function parseWebConfig(text: string, file: string): WebConfig {
  // YAML 1.1, as the Go toolkit's decoder reads it (`http2: yes` is a boolean).
  const { doc, reader } = parseYaml(text, file, { version: '1.1', error: (m) => new WebConfigError(m) });
  const config: WebConfig = { file, users: new Map(), headers: {} };
  const top = reader.fields(doc.contents, 'the web config', [
    'tls_server_config',
    'http_server_config',
    'basic_auth_users',
    'rate_limit',
  ]);
  const unsupported = top.get('rate_limit');
  if (unsupported !== undefined) reader.fail(unsupported.key, 'rate_limit is not supported by logmetrics');
  const tlsNode = top.get('tls_server_config');
  if (tlsNode !== undefined) config.tls = readTlsConfig(reader, tlsNode.value, path.dirname(file));
  const httpNode = top.get('http_server_config');
  if (httpNode !== undefined) config.headers = readHttpConfig(reader, httpNode.value);
  const usersNode = top.get('basic_auth_users');
  if (usersNode !== undefined) config.users = readUsers(reader, usersNode.value);
  return config;
}

function readHttpConfig(reader: YamlReader, node: Node | null): Record<string, string> {
  const fields = reader.fields(node, 'http_server_config', ['http2', 'headers']);
  // HTTP/2 (only ever offered over TLS) is not served; HTTP/1.1 is what scrapers use, so `http2` is accepted.
  const http2 = fields.get('http2');
  if (http2 !== undefined) reader.bool(http2.value, 'http_server_config.http2');
  const headers: Record<string, string> = {};
  const headersNode = fields.get('headers');
  if (headersNode === undefined || headersNode.value === null) return headers;
  for (const [name, { key, value }] of reader.fields(headersNode.value, 'http_server_config.headers', undefined)) {
    if (!Object.hasOwn(ALLOWED_HEADERS, name)) {
      reader.fail(key, `HTTP header "${name}" can not be configured (allowed: ${Object.keys(ALLOWED_HEADERS).join(', ')})`);
    }
    const text = reader.string(value, `http_server_config.headers.${name}`) ?? '';
    const allowed = ALLOWED_HEADERS[name];
    if (text !== '' && allowed !== undefined && !allowed.includes(text)) {
      reader.fail(value ?? key, `invalid value for ${name}: expected one of ${allowed.join(', ')}, got "${text}"`);
    }
    // A blank value leaves the header unset, as documented.
    if (text !== '') headers[name] = text;
  }
  return headers;
}

function readUsers(reader: YamlReader, node: Node | null): Map<string, string> {
  const users = new Map<string, string>();
  for (const [user, { key, value }] of reader.fields(node, 'basic_auth_users', undefined)) {
    const hash = reader.string(value, `basic_auth_users.${user}`);
    // The hash itself is not echoed: it is a secret of sorts.
    if (hash === undefined || !BCRYPT_HASH.test(hash)) {
      reader.fail(value ?? key, `basic_auth_users.${user}: not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31, 53 characters)`);
    }
    const cost = Number(hash.slice(4, 6));
    if (cost > MAX_BCRYPT_COST) {
      reader.fail(
        value ?? key,
        `basic_auth_users.${user}: bcrypt cost ${cost} is above the maximum of ${MAX_BCRYPT_COST} (each check would take about ${costSeconds(cost)}); hash the password again with a lower cost, e.g. htpasswd -nBC 12 ${user}`,
      );
    }
    users.set(user, hash);
  }
  return users;
}

/** Roughly how long one bcryptjs check at `cost` takes (a second at 14), for people. */
function costSeconds(cost: number): string {
  const s = 2 ** (cost - MAX_BCRYPT_COST);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} minutes`;
  if (s < 172_800) return `${Math.round(s / 3600)} hours`;
  return `${Math.round(s / 86_400)} days`;
}
