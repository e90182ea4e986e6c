export declare const NAMES: string[];
export declare const PATHS: string[];
export declare const HOW_TO_GET: string;
export declare function findChromium(env?: NodeJS.ProcessEnv): { path: string; via: string } | { path: null; reason: string };
