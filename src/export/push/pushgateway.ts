// Pushing a one-shot run's results to the Prometheus Pushgateway, for batch
// jobs (a cron job over yesterday's logs) that are gone before any scrape.
// The body is the Prometheus text exposition of the store, the very text
// `--format prometheus` prints (without timestamps, which the Pushgateway
// refuses). The grouping key goes in the path, /metrics/job/<job>/<l>/<v>...,
// each value percent-encoded, or in the API's base64url form (`<l>@base64`)
// when it contains a '/' or is empty. Credentials and TLS are remote write's
// (client.ts); credentials in the URL still work, as Node sends them.

import http from 'node:http';
import https from 'node:https';
import type { Store } from '../../metrics/index.js';
import { prometheusText } from '../prometheus.js';
import { authorization, clientAgent, type ClientAuth } from './client.js';

/** Where and how to push (credentials and TLS: ClientAuth). */
export interface PushgatewayOptions extends ClientAuth {
  /** The Pushgateway's base URL, e.g. http://pushgateway:9091 (a path prefix is kept). */
  url: string;
  job: string;
  /** Grouping labels besides job, in the order given. */
  labels: Record<string, string>;
  /** PUT replaces the group's metrics (the default); POST replaces only those with the same names. */
  method: 'PUT' | 'POST';
  progLabel: boolean;
  timeoutMs?: number;
}

/** The path of a grouping key under the Pushgateway's /metrics. */
export function groupingPath(job: string, labels: Record<string, string>): string {
  let path = '/metrics' + segment('job', job);
  for (const [name, value] of Object.entries(labels)) path += segment(name, value);
  return path;
}

function segment(name: string, value: string): string {
  if (value === '' || value.includes('/')) return `/${name}@base64/${value === '' ? '=' : Buffer.from(value, 'utf8').toString('base64url')}`;
  return `/${name}/${encodeURIComponent(value)}`;
}

/** Pushes the text exposition of `store`; resolves on a 2xx answer, rejects with the answer otherwise. */
export async function pushToGateway(store: Store, opts: PushgatewayOptions): Promise<{ status: number; url: string }> {
  const base = new URL(opts.url);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`--push-gateway ${opts.url}: only http and https are supported`);
  const target = new URL(base.toString());
  target.pathname = base.pathname.replace(/\/+$/, '') + groupingPath(opts.job, opts.labels);
  const body = Buffer.from(prometheusText(store, { progLabel: opts.progLabel, timestamps: false }), 'utf8');
  const mod = target.protocol === 'https:' ? https : http;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const shown = new URL(target.toString());
  shown.username = '';
  shown.password = '';
  const headers: Record<string, string | number> = { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': body.length };
  const auth = authorization(opts);
  if (auth !== undefined) headers.Authorization = auth;
  const agent = clientAgent(target, opts.tls, false);
  return new Promise((resolve, reject) => {
    const req = mod.request(
      target,
      { method: opts.method, timeout: timeoutMs, headers, agent },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 1024) text += c;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ status, url: shown.toString() });
          else reject(new Error(`push to ${shown} answered ${status}: ${text.trim().slice(0, 300)}`));
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`push to ${shown}: no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => reject(new Error(`push to ${shown}: ${e.message}`)));
    req.end(body);
  });
}
