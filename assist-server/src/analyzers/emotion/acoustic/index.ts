/** Acoustic emotion cues per utterance, their fusion with the text emotion model, and the per-call trend. */
export {
  computeUtteranceCues,
  arousalOf,
  type CueKind,
  type UtteranceCueInput,
  type UtteranceCues,
} from './acoustic-cues.ts';
export { CallAcoustics } from './call-acoustics.ts';
export { CallerBaseline, type Baseline } from './caller-baseline.ts';
export { EnergyVad, detectSpeech, type SpeechSpan } from './energy-vad.ts';
export { fuseEmotion, type AcousticEvidence, type FusedEmotion } from './emotion-fusion.ts';
export { EMOTION_LABELS, type EmotionLabel, type EmotionScores, type TextEmotion } from './emotion-labels.ts';
export { EmotionTrend, negativityOf, NEGATIVITY, type EmotionTrendOptions, type EscalationAlert, type TrendUpdate } from './emotion-trend.ts';
export { LegActivity, type Interruption, type Leg, type LegActivityOptions, type Silence } from './leg-activity.ts';
export { activeSpeechLevel, loudnessDbfs } from './loudness.ts';
export { pitchOf, summarizePitch, trackPitch, type PitchSummary, type PitchTrack } from './pitch-tracker.ts';
export { estimateSyllables, speakingRate, type SpeakingRate, type TimedWord } from './speaking-rate.ts';
