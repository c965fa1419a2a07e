/** ZIP codes and postcodes: 5 (or 9) digits in zip/postal context; 6-digit CN postcodes after 邮编. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { near, runsMatching, type Candidate } from './context.ts';

const ZIP_EN = ['zip', 'zip code', 'zipcode', 'postal code', 'postcode', 'post code'];
const ZIP_ZH = ['邮编', '邮政编码'];

export function zipCodeRecognizer(doc: PiiDoc): Candidate[] {
  const zh = doc.lang === 'zh';
  return runsMatching(doc, (d) => (zh ? /^\d{6}$/.test(d) : /^\d{5}$|^\d{9}$/.test(d)))
    .filter(({ run }) => near(doc, run.start, run.end, zh ? ZIP_ZH : ZIP_EN, 6, 0))
    .map(({ run }) => ({ type: 'ZIP', start: run.start, end: run.end, confidence: 0.9 }));
}
