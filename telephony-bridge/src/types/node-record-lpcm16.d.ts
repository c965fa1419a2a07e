// node-record-lpcm16 ships no types; this is the part the microphone source uses.
declare module 'node-record-lpcm16' {
  import type { ChildProcess } from 'node:child_process';
  import type { Readable } from 'node:stream';

  export interface RecordOptions {
    sampleRate?: number;
    channels?: number;
    threshold?: number;
    endOnSilence?: boolean;
    /** 'sox' (default), 'rec' or 'arecord'. */
    recorder?: string;
    /** sox: AUDIODEV; arecord: -D. */
    device?: string;
    /** 'wav' (default) or 'raw'. */
    audioType?: string;
  }

  export interface Recording {
    process: ChildProcess;
    stream(): Readable;
    stop(): void;
    pause(): void;
    resume(): void;
    isPaused(): boolean;
  }

  const recorder: { record(options?: RecordOptions): Recording };
  export default recorder;
}
