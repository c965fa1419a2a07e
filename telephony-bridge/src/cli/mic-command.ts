import { parseArgs } from 'node:util';
import { microphoneCall } from '../sources/microphone/microphone-call.ts';
import { DEFAULT_AGENT_ID, DEFAULT_SERVER_URL, UsageError, stderrLogger, usageFailure, withHangupSignal, type BridgeCommand } from './cli-support.ts';

const USAGE = 'earpiece mic [--server ws://127.0.0.1:8080] [--agent-id ID] [--call-id ID] [--device NAME] [--recorder sox|rec|arecord]';
const RECORDERS = ['sox', 'rec', 'arecord'] as const;

export const micCommand: BridgeCommand = {
  summary: "stream this machine's microphone as the agent leg of a live call until Ctrl-C",
  usage: USAGE,
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          server: { type: 'string', default: DEFAULT_SERVER_URL },
          'agent-id': { type: 'string', default: DEFAULT_AGENT_ID },
          'call-id': { type: 'string' },
          device: { type: 'string' },
          recorder: { type: 'string', default: 'sox' },
        },
      }));
      if (!(RECORDERS as readonly string[]).includes(values.recorder)) throw new UsageError(`--recorder must be one of ${RECORDERS.join(', ')}`);
    } catch (err) {
      return usageFailure(err, USAGE);
    }
    const logger = stderrLogger();
    const recorder = values.recorder as (typeof RECORDERS)[number];
    const result = await withHangupSignal((signal) =>
      microphoneCall({
        serverUrl: values.server,
        agentId: values['agent-id'],
        ...(values['call-id'] ? { callId: values['call-id'] } : {}),
        ...(values.device ? { device: values.device } : {}),
        recorder,
        logger,
        signal,
        onStreaming: (callId) => process.stderr.write(`call ${callId}: streaming the microphone; press Ctrl-C to hang up\n`),
      }),
    );
    process.stdout.write(JSON.stringify({ callId: result.callId, framesSent: result.framesSent, reconnects: result.stats.reconnects }) + '\n');
    return 0;
  },
};
