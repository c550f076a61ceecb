/** Types of accelerator.mjs (plain JavaScript: bin/early-vad.js runs it before any TypeScript). */
export declare function acceleratorPossible(platform?: NodeJS.Platform): boolean;
