/**
 * `npm run demo-call [-- --server ws://127.0.0.1:8080 --agent-id agent-1 --rate 8000]`: plays a
 * two-leg banking call (agent and customer, synthesized with flite) into a running Earpiece at
 * real-time pace through the telephony bridge. Open the agent UI as the same agent to watch it.
 */
import { parseArgs } from 'node:util';
import { replayCall } from '@earpiece/telephony-bridge';
import { synthesizeCall, type ScriptLine } from '../assist-server/src/testing/speech-audio.ts';

const SCRIPT: ScriptLine[] = [
  { role: 'agent', text: 'Thank you for calling, my name is Alex. How can I help you today?' },
  { role: 'customer', text: 'Hi. I lost my debit card yesterday and I need to block it.' },
  { role: 'agent', text: 'I am sorry to hear that. I can block the card for you right now.' },
  { role: 'customer', text: 'Thank you. Can you also send me a new card?' },
  { role: 'agent', text: 'Of course. The new card will arrive in five to seven business days.' },
  { role: 'customer', text: 'Great, thank you for your help.' },
];

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: `ws://127.0.0.1:${process.env.EARPIECE_PORT ?? 8080}` },
    'agent-id': { type: 'string', default: 'agent-1' },
    rate: { type: 'string', default: '16000' },
  },
});
const rate = Number(values.rate);
if (rate !== 8000 && rate !== 16000) throw new Error('--rate must be 8000 (telephone) or 16000');

console.error(`synthesizing the demo call (${rate} Hz)…`);
const call = await synthesizeCall(SCRIPT, { sampleRateHz: rate });
const callId = `demo-${Date.now()}`;
console.error(`playing ${callId} (${(call.audio.channels[0]!.length / rate).toFixed(1)} s) into ${values.server} for ${values['agent-id']}…`);
const result = await replayCall({ serverUrl: values.server, agentId: values['agent-id'], callId, callerNumber: '+14155550142', stereoWav: call.path, speed: 1 });
console.error(`done: ${result.framesSent} frames sent; the call is archived under the data directory.`);
