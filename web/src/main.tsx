import { initialTwinUrl } from './config.ts';
import { prefetch } from './prefetch.ts';

prefetch(initialTwinUrl(window.location));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const el = root;
void import('./start-app.tsx').then(({ startApp }) => startApp(el));
