export { replayCall, type ReplayCallOptions, type ReplayCallResult } from './replay-call.ts';
export { decodeWav, loadWavLegs, monoLeg, stereoLegs, type DecodedWav, type ReplayLeg, type WavLegSources } from './wav-legs.ts';
export { FRAME_MS, delayUntilFrameMs, frameAt, frameCount, frameDueMs, frameStartSample } from './frame-schedule.ts';
