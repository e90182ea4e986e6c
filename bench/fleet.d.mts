/** Types of bench/fleet.mjs for the tests that reuse its host logs (test/fleet/round-trips.test.ts). */
/** One host's syslog of `n` lines from `start` (ms): sshd, app and cron lines, bridge churn before three silences. */
export declare function hostLog(h: number, n: number, start: number): string;
export declare function main(argv?: string[]): Promise<void>;
