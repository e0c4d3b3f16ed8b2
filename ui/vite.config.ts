// Vite builds the window into dist/ for Tauri (tauri.conf.json: frontendDist = ../ui/dist).
// The CSP is strict (script-src 'self', style-src 'self'), so the output must be plain files:
// one module script and one stylesheet, nothing inline, nothing from a CDN.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig(({ mode }) => ({
  base: './',
  // Preact's automatic JSX runtime (Vite 8 transforms with Oxc; no Preact plugin needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    // `vite --mode mock` swaps Tauri's IPC for canned answers so the pages can be looked at in
    // a plain browser. Only that mode sees dev/; the production build never does.
    alias:
      mode === 'mock'
        ? [
            { find: /^@tauri-apps\/api\/core$/, replacement: here('./dev/tauri-core.ts') },
            { find: /^@tauri-apps\/api\/event$/, replacement: here('./dev/tauri-event.ts') },
          ]
        : [],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebView2 is evergreen Chromium; no legacy output needed.
    target: 'es2022',
    // Never inline assets as data: URLs into CSS/JS — keep every resource a plain 'self' file.
    assetsInlineLimit: 0,
  },
  // The mock reads the real label catalog from ../config (dev server only; a build reads freely).
  server: { port: 1420, strictPort: true, fs: { allow: ['.', '../config/locales'] } },
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
}));
