export declare const HOW_TO_GET: string;
export declare const USER: string;
export declare const PASSWORD: string;
export declare function findClickHouse(): { path: string; args: string[] } | { path: null; reason: string };
export declare function freePort(): Promise<number>;
export interface ClickHouseServer {
  dir: string;
  http: number;
  tcp: number;
  pid: number;
  url(database: string): string;
  query(sql: string): Promise<string>;
  stop(): Promise<void>;
}
export declare function startClickHouse(opts?: { shards?: { host: string; port: number | 'self' }[]; shardDatabase?: string }): Promise<ClickHouseServer>;
