/**
 * Time to the web app's first rendered map view on loopback (issue 5: target < 2 s): from
 * navigation start to the frame in which the city's districts are drawn (the app marks it in
 * document.body.dataset.firstViewSinceStart). Cold runs use a fresh browser profile (nothing
 * cached); warm runs reload in the same profile. Also reports when every layer has loaded.
 *
 *   node --import tsx bench/web/first-view.bench.ts            # starts a Leipzig instance
 *   TWINBOX_URL=http://127.0.0.1:1026 node --import tsx bench/web/first-view.bench.ts
 *
 * Baseline: the target of the issue, 2000 ms. Headless Chromium renders with the software
 * rasteriser (--disable-gpu), so a desktop browser with a GPU is faster than measured here.
 */
import { cpus } from 'node:os';
import {
  buildWebApp,
  chromiumMissing,
  freePort,
  launchChromium,
  startTwin,
  type Twin,
} from '../../test/web/twins.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const TARGET_MS = 2000;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(url: string, cold: boolean): Promise<{ firstView: number; loaded: number }[]> {
  const out: { firstView: number; loaded: number }[] = [];
  let browser = await launchChromium();
  for (let i = 0; i < RUNS + 1; i++) {
    if (cold && i > 0) {
      await browser.close();
      browser = await launchChromium();
    }
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(url);
    const firstView = Number(
      await (
        await page.waitForFunction(() => document.body.dataset.firstViewSinceStart, null, { timeout: 60_000 })
      ).jsonValue(),
    );
    await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 120_000 });
    const loaded = await page.evaluate(() => Math.round(performance.now()));
    // the first run of each series warms the instance and the OS caches
    if (i > 0) out.push({ firstView, loaded });
  }
  await browser.close();
  return out;
}

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing) {
    console.log(`first-view bench skipped: ${missing}`);
    return;
  }
  buildWebApp();
  let twin: Twin | undefined;
  let url = process.env.TWINBOX_URL;
  if (!url) {
    twin = await startTwin('leipzig', await freePort(), {});
    url = twin.url;
  }
  try {
    const rows: string[] = [];
    for (const cold of [true, false]) {
      const runs = await measure(`${url}/`, cold);
      const fv = runs.map((r) => r.firstView).sort((a, b) => a - b);
      const ld = runs.map((r) => r.loaded).sort((a, b) => a - b);
      rows.push(
        `| ${cold ? 'cold (new profile)' : 'warm (reload)'} | ${runs.length} | ${quantile(fv, 0.5)} | ${fv[fv.length - 1]} | ${quantile(ld, 0.5)} | ${quantile(fv, 0.5) < TARGET_MS ? 'yes' : 'no'} |`,
      );
    }
    const cpu = cpus();
    console.log(`web first view, ${url} (Leipzig: 74 districts first, then 6.5k entities in 7 layers)`);
    console.log(
      `${cpu[0]?.model ?? 'cpu'} × ${cpu.length} cores, Node ${process.version}, headless Chromium (software GL)`,
    );
    console.log('');
    console.log('| run | n | first view p50 ms | first view max ms | all layers p50 ms | p50 < 2000 ms |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
  } finally {
    await twin?.stop();
  }
}

await main();
