/**
 * Transcript text as the masking stage sent it: `[CREDIT_CARD]` / `[CREDIT_CARD …1111]` placeholders
 * become typed chips, and `…` (words a partial holds back until the utterance is final) a quiet
 * marker. Screen readers hear "Card number, masked" rather than brackets.
 */
import { Fragment } from 'react';

const PLACEHOLDER = /\[([A-Z][A-Z0-9_]*)(?: …(\d{4}))?\]|…/g;

const TYPE_LABEL: Record<string, string> = {
  CREDIT_CARD: 'Card number',
  CVV: 'Security code',
  CARD_EXPIRY: 'Card expiry',
  SSN: 'SSN',
  PHONE: 'Phone number',
  CN_MOBILE: 'Mobile number',
  EMAIL: 'Email',
  DATE_OF_BIRTH: 'Date of birth',
  BANK_ACCOUNT: 'Account number',
  ROUTING_NUMBER: 'Routing number',
  ADDRESS: 'Address',
  ZIP: 'ZIP code',
  PERSON_NAME: 'Name',
  PIN: 'PIN',
  PASSWORD: 'Password',
  CN_ID: 'ID number',
  CN_BANK_CARD: 'Bank card',
};

export function piiTypeLabel(type: string): string {
  return TYPE_LABEL[type] ?? type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ');
}

export function MaskedText({ text }: { text: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    if (m[0] === '…') {
      parts.push(
        <span key={m.index} className="held-back" title="Held back until the sentence is complete">
          …
        </span>,
      );
    } else {
      const label = piiTypeLabel(m[1]!);
      parts.push(
        <span key={m.index} className="pii-chip" data-pii-type={m[1]}>
          {label}
          {m[2] ? ` ••${m[2]}` : ''}
          <span className="visually-hidden">, masked</span>
        </span>,
      );
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <Fragment>{parts}</Fragment>;
}
