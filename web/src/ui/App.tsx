import { createEffect, Match, Switch } from 'solid-js';
import { assertNever } from '@peerboard/shared';
import { currentPath, routeFor, type Route } from '../state/router';
import { LandingPage } from './LandingPage';
import { NotFoundPage, RoomPage } from './RoomPage';

function titleFor(route: Route): string {
  switch (route.page) {
    case 'landing':
      return 'Peerboard: whiteboard, files, chat and calls between browsers';
    case 'room':
      return 'Room · Peerboard';
    case 'not_found':
      return 'Not found · Peerboard';
    default:
      return assertNever(route);
  }
}

export function App() {
  const route = () => routeFor(currentPath());
  createEffect(() => (document.title = titleFor(route())));
  return (
    <Switch>
      <Match when={route().page === 'landing'}>
        <LandingPage />
      </Match>
      <Match
        when={(() => {
          const r = route();
          return r.page === 'room' ? r : null;
        })()}
        keyed
      >
        {(r) => <RoomPage roomId={r.roomId} />}
      </Match>
      <Match
        when={(() => {
          const r = route();
          return r.page === 'not_found' ? r : null;
        })()}
        keyed
      >
        {(r) => <NotFoundPage path={r.path} />}
      </Match>
    </Switch>
  );
}
