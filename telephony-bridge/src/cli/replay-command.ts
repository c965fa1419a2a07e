import { parseArgs } from 'node:util';
import { replayCall } from '../sources/wav-replay/replay-call.ts';
import { DEFAULT_AGENT_ID, DEFAULT_SERVER_URL, UsageError, stderrLogger, usageFailure, withHangupSignal, type BridgeCommand } from './cli-support.ts';

const USAGE =
  'earpiece replay FILE.wav | --agent A.wav --customer C.wav [--server ws://127.0.0.1:8080] [--agent-id ID] [--call-id ID] [--caller NUMBER] [--speed 1|max] [--swap]';

export const replayCommand: BridgeCommand = {
  summary: 'play a recorded call (stereo WAV, or agent/customer mono WAVs) into assist-server as a live call',
  usage: USAGE,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          server: { type: 'string', default: DEFAULT_SERVER_URL },
          'agent-id': { type: 'string', default: DEFAULT_AGENT_ID },
          'call-id': { type: 'string' },
          caller: { type: 'string' },
          agent: { type: 'string' },
          customer: { type: 'string' },
          speed: { type: 'string', default: '1' },
          swap: { type: 'boolean', default: false },
        },
      });
      const { positionals, values } = parsed;
      if (positionals.length > 1) throw new UsageError(`one call file at most, got ${positionals.length}`);
      if (positionals.length === 1 && (values.agent || values.customer)) throw new UsageError('give FILE.wav or --agent/--customer, not both');
      if (positionals.length === 0 && !values.agent && !values.customer) throw new UsageError('no audio: give FILE.wav, or --agent and/or --customer');
      if (values.speed !== '1' && values.speed !== 'max') throw new UsageError(`--speed must be 1 or max, got ${values.speed}`);
    } catch (err) {
      return usageFailure(err, USAGE);
    }
    const { positionals, values } = parsed;
    const logger = stderrLogger();
    const result = await withHangupSignal((signal) =>
      replayCall({
        serverUrl: values.server,
        agentId: values['agent-id'],
        ...(values['call-id'] ? { callId: values['call-id'] } : {}),
        ...(values.caller ? { callerNumber: values.caller } : {}),
        ...(positionals[0] ? { stereoWav: positionals[0], swapChannels: values.swap } : {}),
        ...(values.agent ? { agentWav: values.agent } : {}),
        ...(values.customer ? { customerWav: values.customer } : {}),
        speed: values.speed === 'max' ? 'max' : 1,
        logger,
        signal,
      }),
    );
    const { callId, framesSent, stopReason, stats } = result;
    process.stdout.write(JSON.stringify({ callId, framesSent, stopReason, reconnects: stats.reconnects }) + '\n');
    return 0;
  },
};
