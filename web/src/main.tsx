/**
 * The page's first module: the styles, the room's signaling socket, then the app. Kept tiny and
 * free of run-time imports so that the socket's handshake overlaps fetching and parsing the
 * app's code (state/earlySocket.ts); vite.config.ts preloads the app chunk from index.html so
 * the dynamic import costs no extra round trip.
 */
import '@fontsource-variable/inter';
import './ui/styles/tokens.css';
import './ui/styles/base.css';
import './ui/styles/layout.css';
import './ui/styles/landing.css';
import './ui/styles/room.css';
import './ui/styles/pwa.css';
import { openEarlySocket } from './state/earlySocket';

void openEarlySocket();
void import('./app');
