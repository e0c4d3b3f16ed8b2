// Entry point: mounts the window into index.html's #app. Styles are a separate file so the
// strict CSP (style-src 'self') holds.
import { render } from 'preact';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
