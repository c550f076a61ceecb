/** Types of code-fingerprint.mjs (plain JavaScript: bin/load-cli.js runs it before any TypeScript). */
export interface CodePart {
  /** Repo-relative modules that do the work; everything they import counts. */
  entries: string[];
  /** Repo-relative files they read at run time. */
  data: string[];
  /** Packages whose version counts though no entry imports them. */
  packages: string[];
}
export declare const CODE_PARTS: { analysis: CodePart; screenwriter: CodePart; 'audio-generate': CodePart; 'video-model': CodePart };
export type CodePartName = keyof typeof CODE_PARTS;
/** An esbuild metafile (the fields read here). */
export interface Metafile {
  inputs: Record<string, { imports: Array<{ path: string; external?: boolean }> }>;
}
export declare function partFingerprint(root: string, part: CodePart, metafile: Metafile): { fingerprint: string; inputs: string[] };
export declare function partMetafile(root: string, part: CodePart): Promise<Metafile>;
export declare function sourceFingerprint(root: string, name: string, cacheDir: string, parts?: Record<string, CodePart>): Promise<string>;
