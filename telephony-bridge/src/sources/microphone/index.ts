export { microphoneCall, MICROPHONE_SAMPLE_RATE_HZ, type MicrophoneCallOptions, type MicrophoneCallResult } from './microphone-call.ts';
export { openMicrophone, type MicrophoneOptions, type OpenMicrophone } from './open-microphone.ts';
export { PcmFramer } from './pcm-framer.ts';
