/** A four-intent pack (three banking intents and oos) that trains in seconds: for tests of intent training and live use. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INTENT_TRAINING, type IntentTrainingSettings } from '../intent-training.ts';

export const TINY_INTENT_PACK = `intents:
  - name: lost_card
    examples: [i lost my card, my card is lost, i cannot find my card, someone stole my card, my wallet was stolen with my card, lost card, i have lost my debit card, my card went missing, card stolen, where is my card i lost it]
  - name: balance
    examples: [what is my balance, how much money do i have, check my balance, show my account balance, balance please, how much is in my account, whats left in my account, tell me my balance, current balance, my balance]
  - name: transfer
    examples: [send money to my friend, transfer money, i want to make a transfer, move money to savings, pay my sister, send twenty pounds to john, wire money abroad, make a payment to an account, transfer funds, send cash to a friend]
  - name: oos
    examples: [whats the weather, tell me a joke, play some music, who won the game, set an alarm, what time is it, book a table for two, how tall is everest, translate hello to french, call my mom]
`;

/** Enough epochs for 40 utterances. */
export const TINY_PACK_SETTINGS: IntentTrainingSettings = { ...INTENT_TRAINING, model: { ...INTENT_TRAINING.model, epochs: 12, batchSize: 8 } };

/** Writes the pack into a fresh temporary folder; returns the pack file. */
export function writeTinyIntentPack(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ep-intent-'));
  writeFileSync(join(dir, 'pack.yaml'), TINY_INTENT_PACK);
  return join(dir, 'pack.yaml');
}
