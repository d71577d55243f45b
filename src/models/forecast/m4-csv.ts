/**
 * Reader for the M4 competition's wide CSV layout ("V1","V2",…; V1 = series id, then the values
 * in time order, rows right-padded with empty cells). Takes the text, so it stays pure.
 */
export interface M4Series {
  id: string;
  values: Float64Array;
}

/** @example parseM4Csv('"V1","V2","V3"\n"H1","1","2"\n') // [{ id: 'H1', values: [1, 2] }] */
export function parseM4Csv(text: string): M4Series[] {
  const out: M4Series[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const cells = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    const values: number[] = [];
    for (let j = 1; j < cells.length && cells[j] !== ''; j++) values.push(Number(cells[j]));
    out.push({ id: cells[0], values: Float64Array.from(values) });
  }
  return out;
}
