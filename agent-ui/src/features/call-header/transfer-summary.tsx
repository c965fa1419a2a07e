/**
 * "Summary for transfer": fetches the call's handover note (GET /api/calls/:id/summary?format=text,
 * masked data only) and shows it in a modal dialog with a copy button. Alt+S opens it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { copyText } from '../../ui/copy-text.ts';
import { deskShortcut, SHORTCUT_KEYS } from '../desk/desk-shortcuts.ts';

export type LoadSummary = (callId: string) => Promise<string>;

export const loadSummary: LoadSummary = async (callId) => {
  const res = await fetch(`/api/calls/${encodeURIComponent(callId)}/summary?format=text`);
  if (!res.ok) throw new Error(res.status === 404 ? 'The server has no summary for this call yet.' : `The server answered ${res.status}.`);
  return res.text();
};

type View = { status: 'closed' } | { status: 'loading' } | { status: 'ready'; text: string } | { status: 'failed'; message: string };

export interface TransferSummaryProps {
  callId: string;
  load?: LoadSummary;
  copy?: (text: string) => Promise<boolean>;
}

export function TransferSummary({ callId, load = loadSummary, copy = copyText }: TransferSummaryProps) {
  const [view, setView] = useState<View>({ status: 'closed' });
  const [copyNote, setCopyNote] = useState('');
  const dialogRef = useRef<HTMLDialogElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const open = view.status !== 'closed';

  const show = () => {
    setCopyNote('');
    setView({ status: 'loading' });
    load(callId).then(
      (text) => setView((v) => (v.status === 'closed' ? v : { status: 'ready', text })),
      (error: unknown) => setView((v) => (v.status === 'closed' ? v : { status: 'failed', message: error instanceof Error ? error.message : String(error) })),
    );
  };
  const showRef = useRef(show);
  showRef.current = show;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (deskShortcut(event)?.kind !== 'summary') return;
      event.preventDefault();
      showRef.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    // showModal traps focus and closes on Escape; jsdom lacks it, so fall back to the attribute.
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);

  const close = () => {
    setView({ status: 'closed' });
    buttonRef.current?.focus();
  };
  const onCopy = async () => {
    if (view.status !== 'ready') return;
    setCopyNote((await copy(view.text)) ? 'Copied the summary.' : 'Could not copy. Select the text to copy it.');
  };

  return (
    <>
      <button ref={buttonRef} type="button" className="button button-quiet" onClick={show} aria-haspopup="dialog" aria-keyshortcuts={SHORTCUT_KEYS.summary}>
        Summary for transfer
      </button>
      <dialog ref={dialogRef} className="summary-dialog" aria-labelledby={titleId} onClose={() => open && close()}>
        {open && (
          <>
            <h2 id={titleId}>Summary for transfer</h2>
            {view.status === 'loading' && <p className="muted">Writing the summary…</p>}
            {view.status === 'failed' && <p className="panel-problem">Could not get the summary. {view.message}</p>}
            {view.status === 'ready' && (
              <pre className="summary-text" data-testid="transfer-summary" tabIndex={0}>
                {view.text}
              </pre>
            )}
            <p className="small" role="status">
              {copyNote}
            </p>
            <div className="dialog-actions">
              <button type="button" className="button" onClick={() => void onCopy()} disabled={view.status !== 'ready'}>
                Copy summary
              </button>
              <button type="button" className="button button-quiet" onClick={close}>
                Close
              </button>
            </div>
          </>
        )}
      </dialog>
    </>
  );
}
