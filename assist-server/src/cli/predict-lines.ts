/** `intent predict` / `emotion predict`: one JSON line per non-empty stdin line, then the model is released. */
import { createInterface } from 'node:readline';

export async function predictStdinLines<T extends object>(model: { predict(texts: string[]): Promise<T[]>; dispose(): void }): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const [prediction] = await model.predict([line]);
    process.stdout.write(JSON.stringify({ text: line, ...prediction }) + '\n');
  }
  model.dispose();
  return 0;
}
