/** Audio utilities shared with the telephony bridge (pure DSP and WAV IO; no server runtime). */
export { Resampler, resampleAll, type ResamplerOptions } from './resampler.ts';
