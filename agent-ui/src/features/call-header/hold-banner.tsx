import type { CallState } from '../../state/call-reducer.ts';

/** A full-width strip while the call is on hold, so the state is clear at a glance (and announced). */
export function HoldBanner({ call }: { call: CallState | null }) {
  const held = Boolean(call && call.held && !call.ended);
  return (
    <div role="status" className="hold-banner-region">
      {held && (
        <p className="hold-banner" data-testid="hold-banner">
          <strong>Call on hold.</strong> The customer is waiting; resume the call before you speak to them.
        </p>
      )}
    </div>
  );
}
