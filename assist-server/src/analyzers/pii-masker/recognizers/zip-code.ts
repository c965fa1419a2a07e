/** ZIP codes and postcodes: 5 (or 9) digits in zip/postal context or right after a US state; 6-digit CN postcodes after 邮编. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { before, near, runsMatching, type Candidate } from './context.ts';

const ZIP_EN = ['zip', 'zip code', 'zipcode', 'postal code', 'postcode', 'post code'];
const ZIP_ZH = ['邮编', '邮政编码'];
const US_STATES = [
  'alabama', 'alaska', 'arizona', 'arkansas', 'california', 'colorado', 'connecticut', 'delaware', 'florida', 'georgia', 'hawaii', 'idaho',
  'illinois', 'indiana', 'iowa', 'kansas', 'kentucky', 'louisiana', 'maine', 'maryland', 'massachusetts', 'michigan', 'minnesota',
  'mississippi', 'missouri', 'montana', 'nebraska', 'nevada', 'new hampshire', 'new jersey', 'new mexico', 'new york', 'north carolina',
  'north dakota', 'ohio', 'oklahoma', 'oregon', 'pennsylvania', 'rhode island', 'south carolina', 'south dakota', 'tennessee', 'texas',
  'utah', 'vermont', 'virginia', 'washington', 'west virginia', 'wisconsin', 'wyoming', 'd c',
];

export function zipCodeRecognizer(doc: PiiDoc): Candidate[] {
  const zh = doc.lang === 'zh';
  return runsMatching(doc, (d) => (zh ? /^\d{6}$/.test(d) : /^\d{5}$|^\d{9}$/.test(d)))
    .filter(({ run, digits }) => near(doc, run.start, run.end, zh ? ZIP_ZH : ZIP_EN, 6, 0) || (!zh && digits.length === 5 && before(doc, run.start, US_STATES, 2)))
    .map(({ run }) => ({ type: 'ZIP', start: run.start, end: run.end, confidence: 0.9 }));
}
