export interface GoldenCase {
  name: string;
  ref: string;
  tz: string;
  title: string;
  windows: string[];
}
export declare const ROOT: string;
export declare const GOLDEN_DIR: string;
export declare const CASES: GoldenCase[];
export declare function renderCase(c: GoldenCase): { md: string; svg: string; html: string; correlate: any };
export declare function correlateArgs(c: GoldenCase): string[];
export declare function goldenPath(c: GoldenCase, ext: 'md' | 'svg' | 'html'): string;
