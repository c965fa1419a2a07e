import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import './ui/theme.css';

const root = document.getElementById('root');
if (!root) throw new Error('EARPIECE_UI_ROOT_MISSING: index.html needs <div id="root">.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
