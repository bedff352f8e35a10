// The `tls_server_config` section of a web config, turned into Node TLS server
// options. Names and defaults follow the exporter toolkit (TLS 1.2 minimum,
// client_auth_type names from Go's crypto/tls); key pair and CA files are read
// and checked here so a bad file stops start-up instead of every handshake.

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSecureContext, type SecureVersion, type TlsOptions } from 'node:tls';
import type { Node } from 'yaml';
import type { Field, YamlReader } from '../../yaml/reader.js';

/** Go's tls.ClientAuthType names, as the toolkit accepts them. */
export type ClientAuthType =
  | 'NoClientCert'
  | 'RequestClientCert'
  | 'RequireAnyClientCert'
  | 'VerifyClientCertIfGiven'
  | 'RequireAndVerifyClientCert';

/** Options for https.createServer, plus the client-certificate policy the server enforces after the handshake. */
export interface TlsSettings {
  options: TlsOptions;
  clientAuth: ClientAuthType;
}

const CLIENT_AUTH: Record<string, ClientAuthType> = {
  NoClientCert: 'NoClientCert',
  RequestClientCert: 'RequestClientCert',
  RequireAnyClientCert: 'RequireAnyClientCert',
  RequireClientCert: 'RequireAnyClientCert', // the toolkit's old spelling
  VerifyClientCertIfGiven: 'VerifyClientCertIfGiven',
  RequireAndVerifyClientCert: 'RequireAndVerifyClientCert',
};

const VERSIONS: Record<string, SecureVersion> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};
const VERSION_ORDER: SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

const CURVES: Record<string, string> = { CurveP256: 'P-256', CurveP384: 'P-384', CurveP521: 'P-521', X25519: 'X25519' };

const FIELDS = [
  'cert',
  'key',
  'client_ca',
  'cert_file',
  'key_file',
  'client_auth_type',
  'client_ca_file',
  'client_allowed_sans',
  'min_version',
  'max_version',
  'cipher_suites',
  'prefer_server_cipher_suites',
  'curve_preferences',
];
// Known to the toolkit, not honoured here: refusing beats a weaker server than the file says.
const UNSUPPORTED = ['client_allowed_sans', 'cipher_suites'];

/**
 * Reads `tls_server_config`; undefined when it sets nothing TLS-related (the
 * toolkit then serves plain HTTP). Relative file names are taken from `baseDir`.
 */
export function readTlsConfig(reader: YamlReader, node: Node | null, baseDir: string): TlsSettings | undefined {
  const fields = reader.fields(node, 'tls_server_config', FIELDS);
  for (const name of UNSUPPORTED) {
    const f = fields.get(name);
    if (f !== undefined && f.value !== null) reader.fail(f.key, `tls_server_config.${name} is not supported by logmetrics`);
  }
  const str = (name: string): string | undefined => {
    const f = fields.get(name);
    return f === undefined ? undefined : reader.string(f.value, `tls_server_config.${name}`);
  };
  const cert = pemOrFile(reader, fields, 'cert', str('cert'), str('cert_file'), baseDir);
  const key = pemOrFile(reader, fields, 'key', str('key'), str('key_file'), baseDir);
  const ca = pemOrFile(reader, fields, 'client_ca', str('client_ca'), str('client_ca_file'), baseDir);
  // Every field is checked, even when TLS ends up off, as the toolkit's decoder does.
  const clientAuthName = str('client_auth_type');
  const clientAuth = CLIENT_AUTH[clientAuthName ?? 'NoClientCert'];
  if (clientAuth === undefined) {
    reader.fail(
      fields.get('client_auth_type')!.value,
      `tls_server_config.client_auth_type: invalid "${clientAuthName}" (one of ${Object.keys(CLIENT_AUTH).join(', ')})`,
    );
  }
  const minVersion = version(reader, fields, 'min_version', 'TLSv1.2');
  const maxVersion = version(reader, fields, 'max_version', 'TLSv1.3');
  if (VERSION_ORDER.indexOf(minVersion) > VERSION_ORDER.indexOf(maxVersion)) {
    reader.fail(fields.get('min_version')?.value, 'tls_server_config: min_version is above max_version');
  }
  const preferServer = fields.get('prefer_server_cipher_suites');
  const honorCipherOrder =
    preferServer === undefined ? undefined : reader.bool(preferServer.value, 'tls_server_config.prefer_server_cipher_suites');
  const ecdhCurve = curves(reader, fields.get('curve_preferences'));

  const enabled = cert !== undefined || key !== undefined || ca !== undefined || clientAuthName !== undefined;
  if (!enabled) return undefined;
  checkCertificates(reader, fields, cert, key, ca, clientAuth);

  const options: TlsOptions = {
    cert,
    key,
    minVersion,
    maxVersion,
    requestCert: clientAuth !== 'NoClientCert',
    // Node either verifies a sent certificate and refuses a missing one, or neither;
    // the other policies are checked by the server once the handshake is done.
    rejectUnauthorized: clientAuth === 'RequireAndVerifyClientCert',
    honorCipherOrder: honorCipherOrder ?? true,
  };
  if (ca !== undefined) options.ca = ca;
  if (ecdhCurve !== undefined) options.ecdhCurve = ecdhCurve;
  return { options, clientAuth };
}

/** The key pair must load and match; a client CA needs a client_auth_type and must hold a certificate. */
function checkCertificates(
  reader: YamlReader,
  fields: Map<string, Field>,
  cert: string | undefined,
  key: string | undefined,
  ca: string | undefined,
  clientAuth: ClientAuthType,
): asserts cert is string {
  const section = fields.get('cert_file')?.key ?? fields.get('cert')?.key ?? fields.values().next().value?.key;
  if (cert === undefined) reader.fail(section, 'tls_server_config: missing one of cert or cert_file');
  if (key === undefined) reader.fail(section, 'tls_server_config: missing one of key or key_file');
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    reader.fail(section, `tls_server_config: cannot use the certificate and key: ${(err as Error).message}`);
  }
  if (ca !== undefined) {
    const caField = fields.get('client_ca_file') ?? fields.get('client_ca');
    if (clientAuth === 'NoClientCert') {
      reader.fail(caField?.key, "tls_server_config: client CA's have been configured without a client_auth_type");
    }
    try {
      new X509Certificate(ca);
    } catch (err) {
      reader.fail(caField?.value, `tls_server_config: no usable certificate in the client CA: ${(err as Error).message}`);
    }
  }
}

/** `curve_preferences` as OpenSSL's colon-separated curve list, or undefined for the default. */
function curves(reader: YamlReader, field: Field | undefined): string | undefined {
  const list = field === undefined ? undefined : reader.strings(field.value, 'tls_server_config.curve_preferences');
  if (list === undefined || list.length === 0) return undefined;
  return list
    .map(({ text, node }) => {
      const curve = CURVES[text];
      if (curve === undefined) {
        const known = Object.keys(CURVES).join(', ');
        reader.fail(node, `tls_server_config.curve_preferences: unknown curve "${text}" (one of ${known})`);
      }
      return curve;
    })
    .join(':');
}

/** Inline PEM text or the contents of a file; both at once is an error. */
function pemOrFile(
  reader: YamlReader,
  fields: Map<string, Field>,
  name: string,
  inline: string | undefined,
  file: string | undefined,
  baseDir: string,
): string | undefined {
  if (inline !== undefined && file !== undefined) {
    reader.fail(fields.get(name)?.key, `tls_server_config: give ${name} or ${name}_file, not both`);
  }
  if (file === undefined) return inline;
  const resolved = path.resolve(baseDir, file);
  try {
    return readFileSync(resolved, 'utf8');
  } catch (err) {
    reader.fail(fields.get(`${name}_file`)?.value, `tls_server_config.${name}_file: cannot read ${resolved}: ${(err as Error).message}`);
  }
}

function version(reader: YamlReader, fields: Map<string, Field>, name: string, fallback: SecureVersion): SecureVersion {
  const field = fields.get(name);
  const text = field === undefined ? undefined : reader.string(field.value, `tls_server_config.${name}`);
  if (text === undefined) return fallback;
  const known = VERSIONS[text];
  if (known === undefined) {
    reader.fail(field!.value, `tls_server_config.${name}: unknown TLS version "${text}" (one of ${Object.keys(VERSIONS).join(', ')})`);
  }
  return known;
}
