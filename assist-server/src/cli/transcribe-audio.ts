/** Streams in-memory audio through RecognitionStream + masking in 20 ms frames, as fast as the engine goes. */
import type { TranscriptMasker } from '../analyzers/pii-masker/transcript-masker.ts';
import type { PcmAudio } from '../audio/wav-file.ts';
import type { LegRole } from '../protocol/index.ts';
import { RecognitionStream } from '../recognition/recognition-stream.ts';
import type { RecognitionEvent, SpeechEngine } from '../recognition/recognizer.ts';

export interface TranscriptionResult {
  utterances: Array<{ leg: LegRole; text: string; startMs: number; endMs: number }>;
  words: Array<{ word: string; startMs: number; endMs: number; confidence: number; leg: LegRole }>;
}

const FRAME_MS = 20;

export async function transcribeAudio(engine: SpeechEngine, audio: PcmAudio, masker: TranscriptMasker): Promise<TranscriptionResult> {
  const roles: LegRole[] = audio.channels.length > 1 ? ['agent', 'customer'] : ['customer'];
  const frame = Math.round((audio.sampleRateHz * FRAME_MS) / 1000);
  const perLeg = await Promise.all(
    roles.map(async (leg, ch) => {
      const pcm = audio.channels[ch]!;
      const stream = await RecognitionStream.open(engine, { inputSampleRateHz: audio.sampleRateHz });
      const events: RecognitionEvent[] = [];
      try {
        for (let i = 0; i < pcm.length; i += frame) events.push(...(await stream.write(pcm.subarray(i, i + frame))));
        events.push(...(await stream.flush()));
      } finally {
        await stream.close();
      }
      return events.flatMap((ev) => {
        if (ev.type !== 'final' || !ev.text.trim()) return [];
        const masked = masker.maskFinal(leg, ev.text, ev.words);
        return [{ leg, text: masked.text, startMs: ev.startMs, endMs: ev.endMs, words: masked.words }];
      });
    }),
  );
  const finals = perLeg.flat().sort((a, b) => a.startMs - b.startMs);
  return {
    utterances: finals.map(({ words: _w, ...u }) => u),
    words: finals.flatMap((u) => u.words.map((w) => ({ word: w.word, startMs: w.startMs, endMs: w.endMs, confidence: w.confidence, leg: u.leg }))),
  };
}
