import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';

/**
 * Layers of DESIGN.md, top to bottom. A module may import from its own layer and any layer
 * below it. `models` is a leaf: it imports nothing from the rest of src. `dataspace` is pure
 * (ODRL, DCAT-AP, Dataspace Protocol messages) and sits beside `ngsi` at the bottom.
 */
const LAYERS = ['cli', 'twin', 'http', 'broker', 'store', 'ngsi'] as const;
const PURE = new Set(['ngsi', 'models', 'dataspace']);
const SRC = resolve('src');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

function topFolder(path: string): string {
  return relative(SRC, path).split(sep)[0];
}

function rank(folder: string): number {
  if (folder === 'models') return Number.POSITIVE_INFINITY;
  if (folder === 'dataspace') return LAYERS.indexOf('ngsi');
  return LAYERS.indexOf(folder as (typeof LAYERS)[number]);
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|http|https|child_process|dgram|worker_threads)$/;

test('imports point down the layers and enter other folders only through index.ts', () => {
  const problems: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = topFolder(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      const where = `${relative(SRC, file)} imports ${spec}`;
      if (PURE.has(from) && IO_MODULES.test(spec)) {
        problems.push(`${where}: ${from}/ does no I/O`);
      }
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC + sep)) continue;
      const to = topFolder(target);
      if (to === from) continue;
      if (from === 'models' || (to === 'models' && !['cli', 'twin'].includes(from))) {
        problems.push(`${where}: models/ is used only by cli/ and twin/, and imports nothing of src/`);
        continue;
      }
      if (to !== 'models' && rank(to) < rank(from)) problems.push(`${where}: ${to}/ is above ${from}/`);
      const inner = relative(join(SRC, to), target).split(sep);
      const isIndex = inner.length <= 2 && /^index\.tsx?$/.test(inner[inner.length - 1]);
      if (!isIndex) {
        problems.push(`${where}: deep import; use ${to}/index.ts`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
