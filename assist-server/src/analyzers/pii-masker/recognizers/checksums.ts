/** Validation checksums: Luhn (cards), ABA routing, GB 11643 (CN resident ID), US SSN format. */

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Payment card: 13-19 digits, Luhn; Amex is 15 digits starting 34/37. */
export function isCardNumber(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits) || !luhnValid(digits)) return false;
  if (digits.length === 15 && /^3/.test(digits)) return /^3[47]/.test(digits);
  return true;
}

export function abaValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!);
  return sum % 10 === 0 && sum > 0;
}

const GB_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const GB_CHECK = '10X98765432';

/** GB 11643-1999 check character (ISO 7064 MOD 11-2) for 17 digits. */
export function gb11643Check(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * GB_WEIGHTS[i]!;
  return GB_CHECK[sum % 11]!;
}

export function cnIdValid(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return gb11643Check(id.slice(0, 17)) === id[17];
}

export function ssnFormatValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = digits.slice(0, 3);
  return area !== '000' && area !== '666' && area[0] !== '9' && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}
