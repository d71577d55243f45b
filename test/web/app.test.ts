/**
 * The web app against two real city instances (issue 5): open Leipzig, toggle a layer, open an
 * entity and see its history chart, switch to Bologna, see traffic counts. Screenshots go to
 * test-output/web/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { buildWebApp, chromiumMissing, launchChromium, OUTPUT, startBothCities } from './twins.ts';

const skip = chromiumMissing();
if (skip) console.log(`# SKIP web app: ${skip}`);

describe('web app', { skip, timeout: 600_000 }, () => {
  let twins: Awaited<ReturnType<typeof startBothCities>>;
  let browser: BrowserContext;
  let page: Page;
  const external: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    buildWebApp();
    twins = await startBothCities();
    browser = await launchChromium();
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('request', (r) => {
      if (
        !r.url().startsWith('http://127.0.0.1') &&
        !r.url().startsWith('data:') &&
        !r.url().startsWith('blob:')
      )
        external.push(r.url());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await twins?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: join(OUTPUT, name) });
  const waitLoaded = (city: string) =>
    page.waitForFunction((c) => document.body.dataset.loaded === c, city, { timeout: 60_000 });

  test('opens Leipzig with its layers, choropleth and attribution, fetching nothing from outside', async () => {
    await page.goto(`${twins.leipzig.url}/`);
    await page.waitForFunction(() => document.body.dataset.firstView, null, { timeout: 30_000 });
    await waitLoaded('leipzig');
    await page.waitForSelector('[data-testid="value-legend"]');
    await page.waitForTimeout(800);
    await shot('01-leipzig.png');
    // Leipzig's first language is German
    assert.equal(await page.textContent('#layers-heading'), 'Ebenen');
    for (const type of [
      'AdministrativeArea',
      'Building',
      'EVChargingStation',
      'PointOfInterest',
      'Garden',
      'PhotovoltaicDevice',
    ]) {
      assert.ok(await page.isVisible(`[data-testid="toggle-${type}"]`), `layer toggle for ${type}`);
    }
    const attribution = (await page.textContent('[data-testid="attribution"]')) ?? '';
    assert.match(attribution, /OpenStreetMap contributors \(ODbL\)/);
    assert.match(attribution, /Stadt Leipzig/);
    assert.deepEqual(external, []);
  });

  test('toggles a layer off and on', async () => {
    const visibility = () =>
      page.evaluate(() => {
        const tm = (
          window as unknown as { twinboxMap: { map: { getLayoutProperty(id: string, p: string): string } } }
        ).twinboxMap;
        return tm.map.getLayoutProperty('twin:Building:area:fill', 'visibility');
      });
    assert.equal(await visibility(), 'visible');
    await page.uncheck('[data-testid="toggle-Building"]');
    assert.equal(await visibility(), 'none');
    await page.uncheck('[data-testid="toggle-PhotovoltaicDevice"]');
    await page.waitForTimeout(500);
    await shot('02-leipzig-layers-off.png');
    await page.check('[data-testid="toggle-Building"]');
    assert.equal(await visibility(), 'visible');
  });

  test('opens an entity from the search with the keyboard and shows its history chart', async () => {
    await page.focus('[data-testid="search"]');
    await page.keyboard.type('Leipzig-Lutzner');
    await page.waitForSelector('[data-testid="search-results"] [role="option"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="entity-panel"]');
    await page.waitForSelector('[data-testid="history-chart"] canvas', { timeout: 20_000 });
    const heading = await page.textContent('#entity-heading');
    assert.match(heading ?? '', /Leipzig-Lützner/);
    await page.waitForTimeout(800);
    await shot('03-leipzig-entity-chart.png');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="entity-panel"]', { state: 'detached' });
  });

  test('labels modelled data', async () => {
    await page.fill('[data-testid="search"]', 'PV E40');
    await page.waitForSelector('[data-testid="search-results"] [role="option"]');
    await page.press('[data-testid="search"]', 'Enter');
    await page.waitForSelector('[data-testid="modelled-note"]', { timeout: 20_000 });
    assert.match((await page.textContent('[data-testid="modelled-note"]')) ?? '', /modelliert/);
    await page.waitForTimeout(500);
    await shot('04-leipzig-modelled.png');
    await page.click('[data-testid="entity-panel"] button.close');
  });

  test('switches to Bologna, in Italian, with traffic counts by hour', async () => {
    await page.selectOption('[data-testid="city-switcher"]', twins.bologna.url);
    await waitLoaded('bologna');
    assert.equal(await page.textContent('#layers-heading'), 'Livelli');
    assert.match((await page.textContent('[data-testid="attribution"]')) ?? '', /Comune di Bologna/);
    await page.waitForSelector('[data-testid="hour-slider"]', { timeout: 30_000 });
    await page.waitForTimeout(800);
    await shot('05-bologna.png');
    await page.fill('[data-testid="search"]', 'TrafficFlowObserved:bologna:0.127-2.10-10-1');
    await page.waitForSelector('[data-testid="search-results"] [role="option"]');
    await page.press('[data-testid="search"]', 'Enter');
    await page.waitForSelector('[data-testid="history-chart"] canvas', { timeout: 20_000 });
    await page.waitForTimeout(800);
    await shot('06-bologna-traffic-chart.png');
    assert.deepEqual(external, []);
    assert.deepEqual(pageErrors, []);
  });
});
