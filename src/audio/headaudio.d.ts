/** The parts of @met4citizen/headaudio (MIT, plain ES modules without types) that visemes.ts uses. */
declare module '@met4citizen/headaudio/modules/processor.mjs' {
  export interface HeadAudioMessage {
    event: string;
    viseme?: number;
    t?: number;
    d?: number;
    distances?: number[];
  }
  export class Processor {
    constructor(
      options: { sampleRate: number; processorOptions?: Record<string, boolean>; parameterData?: Record<string, number> },
      worklet?: { port: { onmessage: null; postMessage(m: HeadAudioMessage): void } },
    );
    classifier: { prototypes: Array<{ viseme: number }> };
    _onmessage(message: { data: { event: string; model?: unknown[]; reset?: boolean } }): void;
    process(samples: Float32Array): void;
  }
}
