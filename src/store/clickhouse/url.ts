/**
 * `--db clickhouse://user:pass@host:8123/db` (CONTRACT.md): the store is a ClickHouse database over
 * HTTP. The password is never shown: every message names the URL with it replaced by `***`.
 */
import { StoreError } from '../../errors.js';

export interface ClickHouseUrl {
  /** The HTTP endpoint the client talks to. */
  http: string;
  username: string;
  password: string;
  database: string;
  /** The URL as messages show it: the password masked. */
  shown: string;
}

export function isClickHouseUrl(spec: string): boolean {
  return /^clickhouse:\/\//i.test(spec);
}

/** Mask the password of any clickhouse:// URL inside a text (a driver's message may quote it). */
export function maskPasswords(text: string, password?: string): string {
  let out = text.replace(/(clickhouse:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
  if (password) out = out.split(password).join('***');
  return out;
}

export function parseClickHouseUrl(spec: string): ClickHouseUrl {
  const masked = maskPasswords(spec);
  let u: URL;
  try {
    u = new URL(spec.replace(/^clickhouse:/i, 'http:'));
  } catch {
    throw new StoreError(`--db ${masked}: not a URL of the form clickhouse://user:pass@host:8123/db`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new StoreError(`--db ${masked}: name the database (clickhouse://user:pass@host:8123/db)`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new StoreError(`--db ${masked}: the database name must be letters, digits and _ (got ${JSON.stringify(database)})`);
  if (u.search || u.hash) throw new StoreError(`--db ${masked}: no query or fragment is understood in a clickhouse:// URL`);
  const username = decodeURIComponent(u.username) || 'default';
  const password = decodeURIComponent(u.password);
  const port = u.port || '8123';
  const shown = `clickhouse://${u.username ? `${u.username}${u.password ? ':***' : ''}@` : ''}${u.hostname}:${port}/${database}`;
  return { http: `http://${u.hostname}:${port}`, username, password, database, shown };
}
