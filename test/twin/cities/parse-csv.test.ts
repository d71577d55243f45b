import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv, parseCsvRecords } from '../../../src/twin/cities/parse-csv.ts';

test('parseCsv handles quotes, doubled quotes, embedded delimiters and line breaks', () => {
  const text = 'a,b,c\r\n"x, y","say ""hi""","two\nlines"\n1,,3';
  assert.deepEqual(parseCsv(text), [
    ['a', 'b', 'c'],
    ['x, y', 'say "hi"', 'two\nlines'],
    ['1', '', '3'],
  ]);
});

test('parseCsv strips a byte-order mark and accepts another delimiter', () => {
  assert.deepEqual(parseCsv('\uFEFFdata;tot\r\n2024-01-01;12\r\n', ';'), [
    ['data', 'tot'],
    ['2024-01-01', '12'],
  ]);
});

test('parseCsvRecords keys rows by header, skips blank lines, fills short rows', () => {
  assert.deepEqual(parseCsvRecords('k,v\n1,one\n\n2\n'), [
    { k: '1', v: 'one' },
    { k: '2', v: '' },
  ]);
});
