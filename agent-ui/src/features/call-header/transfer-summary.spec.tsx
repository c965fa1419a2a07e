import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { TransferSummary } from './transfer-summary.tsx';

afterEach(cleanup);

describe('TransferSummary', () => {
  it('fetches the note for the call, shows it in a dialog, copies it and closes back to the button', async () => {
    const asked: string[] = [];
    const copied: string[] = [];
    render(
      <TransferSummary
        callId="call-9"
        load={async (id) => (asked.push(id), 'Caller •••• 4567 lost their card; card frozen.')}
        copy={async (text) => (copied.push(text), true)}
      />,
    );
    const button = screen.getByRole('button', { name: 'Summary for transfer' });
    expect(button.getAttribute('aria-keyshortcuts')).toBe('Alt+S');
    fireEvent.click(button);
    const note = await screen.findByTestId('transfer-summary');
    expect(note.textContent).toBe('Caller •••• 4567 lost their card; card frozen.');
    expect(asked).toEqual(['call-9']);
    fireEvent.click(screen.getByRole('button', { name: 'Copy summary', hidden: true }));
    await waitFor(() => expect(copied).toEqual(['Caller •••• 4567 lost their card; card frozen.']));
    expect(screen.getByText('Copied the summary.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Close', hidden: true }));
    expect(screen.queryByTestId('transfer-summary')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('opens on Alt+S and shows why when there is no summary', async () => {
    render(<TransferSummary callId="call-404" load={async () => Promise.reject(new Error('The server has no summary for this call yet.'))} />);
    fireEvent.keyDown(window, { code: 'KeyS', altKey: true });
    await waitFor(() => expect(screen.getByText(/Could not get the summary/).textContent).toContain('no summary for this call yet'));
  });
});
