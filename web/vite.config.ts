import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npx vite build --config web/vite.config.ts` works from the repository root: root and outDir
// are fixed to this folder.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // relative asset URLs: the app works wherever an instance mounts it
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // maplibre-gl is one large module by design; splitting it gains nothing on first view
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // the MapLibre worker ships as .mjs; .js gets a JavaScript MIME type from any static
        // server, and a module worker served as octet-stream fails to start
        assetFileNames: (asset) =>
          asset.names.some((n) => n.endsWith('.mjs')) ? 'assets/[name]-[hash].js' : 'assets/[name]-[hash][extname]',
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173 },
});
