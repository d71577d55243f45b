import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { storeContract } from './contract.ts';

// a real SQLite file per case, in WAL mode like production
const dir = mkdtempSync(join(tmpdir(), 'twinbox-store-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));
storeContract('sqlite', async () => openStore({ engine: 'sqlite', path: join(dir, `store-${n++}.sqlite`) }));
