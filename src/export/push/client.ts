// What an HTTP push (remote write, the Pushgateway) authenticates and verifies with, named as
// in Prometheus' http client config: basic auth or a bearer token, each read from a file at
// every request so a rotated secret applies at once, and TLS to the receiver.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

/** TLS settings of the client, as Prometheus' `tls_config`. */
export interface ClientTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  serverName?: string;
  insecureSkipVerify?: boolean;
}

/** Credentials and TLS of one push target. */
export interface ClientAuth {
  basicAuth?: { username: string; passwordFile: string };
  bearerTokenFile?: string;
  tls?: ClientTls;
}

/**
 * The agent requests to `url` go through: https with the TLS settings (their files read now, so
 * a missing one fails at start, named), plain http otherwise.
 */
export function clientAgent(url: URL, tls: ClientTls | undefined, keepAlive: boolean): http.Agent {
  if (url.protocol !== 'https:') return new http.Agent({ keepAlive });
  const t = tls ?? {};
  return new https.Agent({
    keepAlive,
    ca: readSetting('CA file', t.caFile),
    cert: readSetting('client certificate', t.certFile),
    key: readSetting('client key', t.keyFile),
    servername: t.serverName,
    rejectUnauthorized: !t.insecureSkipVerify,
  });
}

function readSetting(what: string, file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (e) {
    throw new Error(`TLS ${what} ${file}: ${(e as Error).message}`);
  }
}

/** The Authorization header of the next request, or undefined without credentials. */
export function authorization(auth: ClientAuth): string | undefined {
  const { basicAuth, bearerTokenFile } = auth;
  if (basicAuth !== undefined) {
    const password = readSecret('basic auth password', basicAuth.passwordFile);
    return 'Basic ' + Buffer.from(`${basicAuth.username}:${password}`).toString('base64');
  }
  if (bearerTokenFile !== undefined) return 'Bearer ' + readSecret('bearer token', bearerTokenFile);
  return undefined;
}

function readSecret(what: string, file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new Error(`${what} file ${file}: ${(e as Error).message}`);
  }
}
