import { createEffect, createMemo, lazy, Match, Switch } from 'solid-js';
import { assertNever } from '@peerboard/protocol';
import { startServiceWorker } from '../state/appUpdate';
import { shortRoomId } from '../state/roomId';
import { currentPath, routeFor, type Route } from '../state/router';
import { LandingPage } from './LandingPage';
import { roomChunksReleased } from './lazyRoom';
import { NotFoundPage, RoomPage } from './RoomPage';
import { UpdateToast } from './UpdateToast';

// rare (a share from another app): its own chunk
const SharePage = lazy(() => import('./SharePage').then((m) => ({ default: m.SharePage })));

function titleFor(route: Route): string {
  switch (route.page) {
    case 'landing':
      return 'Peerboard: whiteboard, files, chat and calls between browsers';
    case 'room':
      return `Room ${shortRoomId(route.roomId)} · Peerboard`;
    case 'share':
      return 'Share to a room · Peerboard';
    case 'not_found':
      return 'Not found · Peerboard';
    default:
      return assertNever(route);
  }
}

export function App() {
  const route = createMemo(() => routeFor(currentPath()));
  // keyed Matches below: a new room id remounts the room page, so the old room is destroyed.
  const room = () => {
    const r = route();
    return r.page === 'room' ? r : null;
  };
  const notFound = () => {
    const r = route();
    return r.page === 'not_found' ? r : null;
  };
  createEffect(() => (document.title = titleFor(route())));
  // The service worker's first install fetches every asset (~1 MiB) and parses them: opened by a
  // room link, that would compete with the join for the network and the CPU (a first-time
  // visitor's join is exactly that case), so there it starts once the join has settled (the
  // room chunks' gate); on any other page at once. startServiceWorker runs once.
  createEffect(() => {
    if (route().page !== 'room') startServiceWorker();
  });
  void roomChunksReleased().then(startServiceWorker);
  return (
    <>
      <Switch>
        <Match when={route().page === 'landing'}>
          <LandingPage />
        </Match>
        <Match when={room()} keyed>
          {(r) => <RoomPage roomId={r.roomId} />}
        </Match>
        <Match when={route().page === 'share'}>
          <SharePage />
        </Match>
        <Match when={notFound()} keyed>
          {(r) => <NotFoundPage path={r.path} />}
        </Match>
      </Switch>
      <UpdateToast />
    </>
  );
}
