import { render } from 'solid-js/web';
import { installDebug } from './debug';
import { applyTheme } from './state/prefs';
import { App } from './ui/App';

installDebug();
applyTheme();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
render(() => <App />, root);
