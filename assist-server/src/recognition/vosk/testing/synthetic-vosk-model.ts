/**
 * Writes a tiny but valid Vosk-format model (Kaldi nnet3 + HCLG) for tests, since no real Vosk
 * model can be downloaded in dev or CI. libvosk loads it in milliseconds and drives it exactly
 * like a real one: features, nnet, decoder, endpointing, lattices, word alignment, confidences.
 *
 * What it "recognizes": silence decodes as silence, speech as a random word sequence from the
 * vocabulary. One silence phone plus one phone per word, one emitting HMM state each
 * (self-loop 0.75, exit 0.25). The nnet is a FixedAffineComponent + LogSoftmaxComponent over
 * 13 MFCCs whose c0 is the frame log-energy (`--use-energy=true`): the silence row scores
 * `SILENCE_SLOPE × (SILENCE_LOG_ENERGY − c0)`, so quiet frames (digital silence plus Kaldi's
 * dither: log-energy ≈ 6) are silence and voiced frames (log-energy ≈ 15–22) are not; the word
 * rows are seeded random projections of c1..c12. The graph loops from state 0 through one state
 * per phone; every state is final, so rule 2 of the endpointer fires 0.5 s after speech ends.
 *
 * Text formats follow Kaldi's readers (TransitionModel with <Triples>, <Nnet3> config lines
 * then components, AmNnetSimple's context and priors); HCLG.fst is OpenFst VectorFst binary.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SyntheticVoskModelOptions {
  /** Words the model can output (one phone each). Default: a dozen call-centre words. */
  vocabulary?: string[];
  /** The model's rate (conf/mfcc.conf --sample-frequency). Default 16000. */
  sampleRateHz?: number;
}

export const DEFAULT_SYNTHETIC_VOCABULARY = [
  'hello', 'account', 'balance', 'order', 'refund', 'card', 'number', 'payment', 'address', 'please', 'thanks', 'help',
];

const NUM_CEPS = 13;
const SELF_LOOP_PROB = 0.75;
/** Frame log-energy below which a frame is silence (ln(400·σ²) with σ ≈ 12, about −68 dBFS). */
const SILENCE_LOG_ENERGY = 11;
const SILENCE_SLOPE = 3;
/** Scale of the random word projections of c1..c12 (sets how often the best word changes). */
const WORD_WEIGHT_SCALE = 0.04;
const SEED = 0x5eed;

/** Writes the model files under `dir` (created if needed). */
export async function writeSyntheticVoskModel(dir: string, options: SyntheticVoskModelOptions = {}): Promise<void> {
  const vocabulary = options.vocabulary ?? DEFAULT_SYNTHETIC_VOCABULARY;
  const sampleRateHz = options.sampleRateHz ?? 16000;
  checkVocabulary(vocabulary);
  if (!Number.isInteger(sampleRateHz) || sampleRateHz < 8000) throw new RangeError(`sampleRateHz must be an integer ≥ 8000, got ${sampleRateHz}`);

  for (const sub of ['am', 'conf', 'graph/phones']) await mkdir(join(dir, sub), { recursive: true });
  const numPhones = vocabulary.length + 1; // phone 1 = SIL, phone 1+w = word w (1-based)
  await writeFile(join(dir, 'am', 'final.mdl'), transitionModelText(numPhones) + nnetText(numPhones));
  await writeFile(join(dir, 'graph', 'HCLG.fst'), hclgFst(numPhones));
  await writeFile(join(dir, 'graph', 'words.txt'), symbolTable(['<eps>', ...vocabulary]));
  await writeFile(join(dir, 'graph', 'phones.txt'), symbolTable(['<eps>', 'SIL', ...vocabulary.map((w) => `${w}_S`)]));
  await writeFile(
    join(dir, 'graph', 'phones', 'word_boundary.int'),
    ['1 nonword', ...vocabulary.map((_, i) => `${i + 2} singleton`)].join('\n') + '\n',
  );
  await writeFile(
    join(dir, 'conf', 'mfcc.conf'),
    [`--sample-frequency=${sampleRateHz}`, '--use-energy=true', `--num-ceps=${NUM_CEPS}`, '--num-mel-bins=23', '--low-freq=20'].join('\n') + '\n',
  );
  await writeFile(
    join(dir, 'conf', 'model.conf'),
    [
      '--min-active=200',
      '--max-active=3000',
      '--beam=10.0',
      '--lattice-beam=2.0',
      '--acoustic-scale=1.0',
      '--frame-subsampling-factor=3',
      '--endpoint.silence-phones=1',
      '--endpoint.rule2.min-trailing-silence=0.5',
      '--endpoint.rule3.min-trailing-silence=1.0',
      '--endpoint.rule4.min-trailing-silence=2.0',
    ].join('\n') + '\n',
  );
  await writeFile(
    join(dir, 'README'),
    `Synthetic Vosk-format test model written by Earpiece's writeSyntheticVoskModel (${vocabulary.length} words, ${sampleRateHz} Hz).\n` +
      'Silence decodes as silence; speech decodes as random words. Not a speech recognizer.\n',
  );
}

function checkVocabulary(vocabulary: string[]): void {
  if (vocabulary.length === 0) throw new RangeError('vocabulary must not be empty');
  const seen = new Set<string>();
  for (const word of vocabulary) {
    if (!/^[^\s<>#]+$/.test(word)) throw new RangeError(`vocabulary word ${JSON.stringify(word)} must be non-empty, without spaces, < > or #`);
    if (seen.has(word)) throw new RangeError(`vocabulary word "${word}" appears twice`);
    seen.add(word);
  }
}

/** Transition-ids of phone p (1-based): one transition state per phone, self-loop first. */
const selfLoopTid = (phone: number): number => 2 * phone - 1;
const exitTid = (phone: number): number => 2 * phone;

function transitionModelText(numPhones: number): string {
  const phones = Array.from({ length: numPhones }, (_, i) => i + 1);
  const logProbs = [0];
  for (let p = 1; p <= numPhones; p++) logProbs.push(Math.log(SELF_LOOP_PROB), Math.log(1 - SELF_LOOP_PROB));
  return [
    '<TransitionModel> ',
    '<Topology> ',
    '<TopologyEntry> ',
    '<ForPhones> ',
    phones.join(' '),
    '</ForPhones> ',
    `<State> 0 <PdfClass> 0 <Transition> 0 ${SELF_LOOP_PROB} <Transition> 1 ${1 - SELF_LOOP_PROB} </State> `,
    '<State> 1 </State> ',
    '</TopologyEntry> ',
    '</Topology> ',
    `<Triples> ${numPhones} `,
    ...phones.map((p) => `${p} 0 ${p - 1} `), // (phone, hmm-state, pdf): pdf 0 = silence, pdf w = word w
    '</Triples> ',
    '<LogProbs> ',
    ` ${vectorText(logProbs)} `,
    '</LogProbs> ',
    '</TransitionModel> ',
    '',
  ].join('\n');
}

function nnetText(numPdfs: number): string {
  const random = gaussian(SEED);
  const rows: number[][] = [];
  const bias: number[] = [];
  // Silence: high when the frame log-energy c0 is low.
  rows.push([-SILENCE_SLOPE, ...new Array<number>(NUM_CEPS - 1).fill(0)]);
  bias.push(SILENCE_SLOPE * SILENCE_LOG_ENERGY);
  for (let w = 1; w < numPdfs; w++) {
    rows.push([0, ...Array.from({ length: NUM_CEPS - 1 }, () => random() * WORD_WEIGHT_SCALE)]);
    bias.push(random() * 0.5);
  }
  return [
    '<Nnet3> ', // Kaldi eats exactly one character after the token, then expects an empty rest of line
    `input-node name=input dim=${NUM_CEPS}`,
    'component-node name=affine component=affine input=input',
    'component-node name=log_softmax component=log_softmax input=affine',
    'output-node name=output input=log_softmax objective=linear',
    '', // an empty line ends the config part
    '<NumComponents> 2 ',
    '<ComponentName> affine <FixedAffineComponent> <LinearParams> [',
    ...rows.map((row) => `  ${row.map(num).join(' ')} `),
    ' ]',
    `<BiasParams> ${vectorText(bias)} `,
    '</FixedAffineComponent> ',
    `<ComponentName> log_softmax <LogSoftmaxComponent> <Dim> ${numPdfs} <ValueAvg> [ ] <DerivAvg> [ ] <Count> 0 </LogSoftmaxComponent> `,
    '</Nnet3> ',
    '<LeftContext> 0 <RightContext> 0 <Priors> [ ] ',
    '',
  ].join('\n');
}

/**
 * HCLG as an OpenFst VectorFst<StdArc> (little-endian). States: 0 = start, 1..numPhones = "in
 * phone p". From every state, an arc enters each phone p with its exit transition-id (Kaldi's
 * reordered HMM: forward transition first, then self-loops) and outputs the word (silence: no
 * word); each phone state has its self-loop. Every state is final with weight 0.
 */
function hclgFst(numPhones: number): Buffer {
  const numStates = numPhones + 1;
  const enterCost = -Math.log(1 - SELF_LOOP_PROB) + Math.log(numPhones); // exit prob × uniform "language model"
  const loopCost = -Math.log(SELF_LOOP_PROB);
  type Arc = [ilabel: number, olabel: number, weight: number, next: number];
  const states: Arc[][] = [];
  for (let s = 0; s < numStates; s++) {
    const arcs: Arc[] = [];
    if (s > 0) arcs.push([selfLoopTid(s), 0, loopCost, s]);
    for (let p = 1; p <= numPhones; p++) arcs.push([exitTid(p), p === 1 ? 0 : p - 1, enterCost, p]);
    states.push(arcs);
  }
  const numArcs = states.reduce((n, arcs) => n + arcs.length, 0);
  const out = new FstWriter();
  out.int32(2125659606); // magic
  out.string('vector');
  out.string('standard');
  out.int32(2); // version
  out.int32(0); // flags: no symbol tables, not aligned
  out.int64(3); // properties: kExpanded | kMutable (nothing else claimed)
  out.int64(0); // start state
  out.int64(numStates);
  out.int64(numArcs);
  for (const arcs of states) {
    out.float32(0); // final weight (TropicalWeight::One)
    out.int64(arcs.length);
    for (const [ilabel, olabel, weight, next] of arcs) {
      out.int32(ilabel);
      out.int32(olabel);
      out.float32(weight);
      out.int32(next);
    }
  }
  return out.done();
}

class FstWriter {
  private readonly chunks: Buffer[] = [];
  int32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.chunks.push(b);
  }
  int64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(v));
    this.chunks.push(b);
  }
  float32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.chunks.push(b);
  }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.int32(bytes.length);
    this.chunks.push(bytes);
  }
  done(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function symbolTable(symbols: string[]): string {
  return symbols.map((s, i) => `${s} ${i}`).join('\n') + '\n';
}

/** Kaldi text vector: numbers must start with a digit or '-' and be followed by whitespace. */
function vectorText(values: number[]): string {
  return `[ ${values.map(num).join(' ')} ]`;
}

function num(v: number): string {
  const s = v.toFixed(6);
  return s === '-0.000000' ? '0.000000' : s;
}

/** Seeded standard normal generator (mulberry32 + Box–Muller): the same model every time. */
function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}
