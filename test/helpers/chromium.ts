// Headless Chromium for the status-page tests: load a URL, dump the DOM it built.
import { spawn } from 'node:child_process';

/** Flags for a headless run on a machine with no network but loopback (see the env notes). */
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface DomDump {
  dom: string;
  /** The binary was not found. */
  missing: boolean;
  status: number | null;
  stderr: string;
}

/** Runs headless Chromium with --dump-dom on `url` (killed after timeoutMs; it starts slowly on a busy machine). */
export function dumpDom(url: string, profile: string, binary = 'chromium', timeoutMs = 120_000): Promise<DomDump> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--dump-dom', url], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let dom = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (dom += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') resolve({ dom: '', missing: true, status: null, stderr: '' });
      else reject(err);
    });
    child.on('close', (status) => resolve({ dom, missing: false, status, stderr }));
  });
}

/** The text a person sees in HTML: styles and tags dropped, entities decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
