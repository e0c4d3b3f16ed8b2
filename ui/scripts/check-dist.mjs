// Run after `vite build`: fails the build if dist/index.html would break the window's CSP
// (default-src 'self'; script-src 'self'; style-src 'self') or reach outside the app.
import { readFileSync } from 'node:fs';

const html = readFileSync(new URL('../dist/index.html', import.meta.url), 'utf8');
const problems = [];
for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (!/\bsrc=/.test(attrs) || body.trim() !== '') problems.push('an inline <script>');
}
if (/<style\b/i.test(html)) problems.push('a <style> element');
if (/\sstyle=/i.test(html)) problems.push('a style attribute');
if (/\son[a-z]+=/i.test(html)) problems.push('an inline event handler');
if (/(src|href)=["']?(https?:)?\/\//i.test(html)) problems.push('a remote resource (CDN or font)');

if (problems.length > 0) {
  console.error(`dist/index.html breaks the CSP: ${problems.join(', ')}`);
  process.exit(1);
}
console.log('dist/index.html: no inline scripts or styles, nothing remote');
