import '@fontsource-variable/inter';
import './ui/styles/tokens.css';
import './ui/styles/base.css';
import './ui/styles/layout.css';
import './ui/styles/landing.css';
import './ui/styles/room.css';
import './ui/styles/pwa.css';
import { render } from 'solid-js/web';
import { installDebug } from './debug';
import { startServiceWorker } from './state/appUpdate';
import { applyTheme } from './state/prefs';
import { App } from './ui/App';

installDebug();
applyTheme();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
render(() => <App />, root);
startServiceWorker();
