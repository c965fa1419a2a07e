import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { MaskedText } from './masked-text.tsx';

afterEach(cleanup);

describe('MaskedText', () => {
  it('turns placeholders into typed chips with screen-reader labels and keeps the words around them', () => {
    const { container } = render(<p><MaskedText text="my card is [CREDIT_CARD] and my email is [EMAIL] thanks" /></p>);
    const chips = [...container.querySelectorAll('.pii-chip')];
    expect(chips.map((c) => c.getAttribute('data-pii-type'))).toEqual(['CREDIT_CARD', 'EMAIL']);
    expect(chips.map((c) => c.textContent)).toEqual(['Card number, masked', 'Email, masked']);
    expect(container.textContent).toBe('my card is Card number, masked and my email is Email, masked thanks');
    expect(container.textContent).not.toContain('[');
  });

  it('shows the last four where policy allows, and marks held-back words of a partial', () => {
    const { container } = render(<p><MaskedText text="card [CREDIT_CARD …1111] expiry … please" /></p>);
    expect(container.querySelector('.pii-chip')!.textContent).toBe('Card number ••1111, masked');
    expect(container.querySelector('.held-back')!.textContent).toBe('…');
    expect(container.textContent).toBe('card Card number ••1111, masked expiry … please');
  });

  it('leaves text without placeholders alone (brackets a speaker could not produce are the only trigger)', () => {
    const { container } = render(<p><MaskedText text="what is my account balance" /></p>);
    expect(container.textContent).toBe('what is my account balance');
    expect(container.querySelector('.pii-chip')).toBeNull();
  });
});
