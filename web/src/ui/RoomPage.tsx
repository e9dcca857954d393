import { cleanDisplayName } from '@peerboard/protocol';
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  Match,
  on,
  onMount,
  Show,
  Suspense,
  Switch,
} from 'solid-js';
import { createSession } from '../state/createSession';
import { exposeSession } from '../debug';
import { displayName } from '../state/prefs';
import { rememberLastRoom } from '../state/lastRoom';
import { forgetRoomOnDevice } from '../state/roomAccess';
import { takeAccessCheckedAtLoad } from '../state/earlySocket';
import { checkRoomAccess, type RoomAccess } from '../state/roomAccessCheck';
import { createSharedInbox } from '../state/sharedInbox';
import { makeFollowLink } from '../state/followLink';
import { roomLink, shortRoomId } from '../state/roomId';
import { navigate } from '../state/router';
import { ChatIcon, FilesIcon, UsersIcon, VideoIcon } from './icons';
import { ForgetRoomDialog } from './ForgetRoomDialog';
import { NameField } from './NameField';
import { PeerList } from './PeerList';
import { RenameDialog } from './RenameDialog';
import { RoomHeader } from './RoomHeader';
import { SidePanel, type PanelDef, type SidePanelApi } from './SidePanel';
import { StatusBanner } from './StatusBanner';
import { VersionNotice } from './VersionNotice';
import { ConnectTrouble } from './ConnectTrouble';
import { createNoticeSpace } from './createNoticeSpace';
import { PageHeader } from './PageHeader';
// the board, call, files, chat and share dialog load in chunks of their own, after the join
import {
  Board,
  BoardSkeleton,
  CallDock,
  CallPanel,
  CallStage,
  ChatPanel,
  createRoomChunkGate,
  FileOfferToast,
  FilesPanel,
  IncomingCallToast,
  PanelSkeleton,
  SharedFilesToast,
  ShareDialog,
} from './lazyRoom';

type LinkProblem = Exclude<RoomAccess['kind'], 'open' | 'protected'>;

/**
 * `/r/<id>`. The link is checked first (roomAccess.ts): a protected room's id without its key, or
 * with a damaged one, shows a message and joins nothing. Someone who opens a shared link without
 * a stored name picks one first; the room session (and its connections) starts only then.
 */
export function RoomPage(props: { roomId: string }) {
  // Read once: the fragment never reaches the server; it keys the room's encryption.
  const [access] = createResource(
    () => props.roomId,
    // the page's first module usually checked this link already (earlySocket.ts)
    (id) => takeAccessCheckedAtLoad(id, location.hash) ?? checkRoomAccess(id, location.hash),
  );
  const allowed = createMemo(() => {
    const a = access();
    if (a?.kind === 'open') return { secret: null };
    return a?.kind === 'protected' ? { secret: a.secret } : null;
  });
  const problem = createMemo((): LinkProblem | null => {
    const kind = access()?.kind;
    return kind === undefined || kind === 'open' || kind === 'protected' ? null : kind;
  });
  return (
    <Switch>
      <Match when={problem()} keyed>
        {(kind) => <LinkProblemPage kind={kind} />}
      </Match>
      <Match when={allowed()} keyed>
        {(a) => <RoomEntry roomId={props.roomId} secret={a.secret} />}
      </Match>
    </Switch>
  );
}

function RoomEntry(props: { roomId: string; secret: string | null }) {
  const [ready, setReady] = createSignal(displayName().trim() !== '');
  return (
    <Show when={ready()} fallback={<PreJoin roomId={props.roomId} onJoin={() => setReady(true)} />}>
      <RoomSession roomId={props.roomId} secret={props.secret} />
    </Show>
  );
}

function PreJoin(props: { roomId: string; onJoin: () => void }) {
  const [error, setError] = createSignal<string | null>(null);
  let input: HTMLInputElement | undefined;
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (displayName().trim() === '') {
      setError('Add your name first, so the others know who you are.');
      input?.focus();
      return;
    }
    props.onJoin();
  };
  return (
    <div class="prejoin">
      <PageHeader />
      <main class="prejoin-main">
        <form
          class="card prejoin-card"
          onSubmit={submit}
          noValidate
          aria-labelledby="prejoin-title"
        >
          <h1 id="prejoin-title" class="start-title">
            Join room <span class="room-code">{shortRoomId(props.roomId)}</span>
          </h1>
          <p class="field-hint">
            You were invited to a Peerboard room. Tell the others who you are.
          </p>
          <NameField
            id="prejoin-name"
            ref={(el) => {
              input = el;
              queueMicrotask(() => el.focus());
            }}
            error={error()}
            onInput={() => setError(null)}
          />
          <button type="submit" class="btn btn-primary btn-lg btn-block">
            Join room
          </button>
        </form>
      </main>
    </div>
  );
}

function RoomSession(props: { roomId: string; secret: string | null }) {
  const secret = props.secret;
  const [panelApi, setPanelApi] = createSignal<SidePanelApi>();
  const { session, state, files, chat, call, names, versions } = createSession({
    roomId: props.roomId,
    name: cleanDisplayName(displayName()),
    secret,
    chatVisible: () => panelApi()?.visible('chat') ?? false,
  });
  exposeSession(session);
  createRoomChunkGate(state);
  // where "Share to Peerboard" from another app will go next (lastRoom.ts)
  rememberLastRoom(props.roomId, secret);
  const sharedInbox = createSharedInbox();
  let share: { open: () => void } | undefined;
  // asked for before the dialog's chunk is in: it opens as soon as it is
  let shareWanted = false;
  const openShare = () => (share ? share.open() : (shareWanted = true));
  let forget: { open: () => void } | undefined;
  let rename: { open: () => void } | undefined;
  const leave = () => {
    // at once, not when the page's owner is cleaned up: links and the relay socket close now
    session.destroy();
    navigate('/');
  };
  const forgetRoom = async () => {
    await forgetRoomOnDevice({
      roomId: props.roomId,
      secret,
      persistence: session.doc.persistence,
    });
    navigate('/');
  };

  // The call's controls are shown in exactly one place: on the stage (unless a phone sheet
  // covers it), else in the Call tab when it is on screen, else in the in-call bar.
  const inCall = () => call.state.phase === 'in_call';
  const controlsAt = (): 'stage' | 'panel' | 'dock' => {
    const api = panelApi();
    if (call.stage.open() && !api?.covering()) return 'stage';
    return api?.visible('call') ? 'panel' : 'dock';
  };

  // On a phone the call opens over the board (a join, a new shared screen) behind the Call sheet
  // the person was using: the sheet gives way, or it hides half the call it just opened.
  // Another tab's sheet (chat being typed) stays.
  createEffect(
    on(
      () => call.stage.open(),
      (open, was) => {
        const api = panelApi();
        if (open && !was && api?.covering() && api.visible('call')) api.closeSheet();
      },
    ),
  );

  // a click on someone in the People list or the header follows their view on the board
  const followLink = makeFollowLink();

  const panels: PanelDef[] = [
    {
      id: 'people',
      label: 'People',
      icon: UsersIcon,
      badge: undefined,
      content: () => (
        <PeerList state={state} onInvite={openShare} names={names} follow={followLink} />
      ),
    },
    {
      id: 'chat',
      label: 'Chat',
      icon: ChatIcon,
      badge: () => chat.unread(),
      content: () => (
        <Suspense fallback={<PanelSkeleton what="the chat" />}>
          <ChatPanel chat={chat} />
        </Suspense>
      ),
    },
    {
      id: 'files',
      label: 'Files',
      icon: FilesIcon,
      badge: () => files.pending() + files.folders.waiting(),
      content: () => (
        <Suspense fallback={<PanelSkeleton what="files" />}>
          <FilesPanel files={files} state={state} names={names} />
        </Suspense>
      ),
    },
    {
      id: 'call',
      label: 'Call',
      icon: VideoIcon,
      badge: () => call.state.incoming?.count,
      content: () => (
        <Suspense fallback={<PanelSkeleton what="the call" />}>
          <CallPanel call={call} names={names} showControls={controlsAt() === 'panel'} />
        </Suspense>
      ),
    },
  ];

  let roomEl!: HTMLDivElement;
  let noticesEl!: HTMLDivElement;
  onMount(() => createNoticeSpace(roomEl, noticesEl));

  return (
    <div class="room" data-signaling={state.signaling} ref={roomEl}>
      <a class="skip-link" href="#panel-people">
        Skip to people in the room
      </a>
      <RoomHeader
        state={state}
        names={names}
        follow={followLink}
        onShare={openShare}
        onRename={() => rename?.open()}
        onLeave={leave}
        onForget={() => forget?.open()}
        protected={secret !== null}
      />
      {/* notices float over the board, one under another when several show */}
      <div class="room-notices" ref={noticesEl}>
        <StatusBanner state={state} />
        <VersionNotice versions={versions} />
        <ConnectTrouble peers={state.peers} />
      </div>
      <div class="room-body">
        <main id="board" class="board-area" aria-label="Board">
          <Suspense fallback={<BoardSkeleton />}>
            <Board
              roomDoc={session.doc}
              presence={session.presence}
              images={session.transfers.images}
              followLink={followLink}
            />
          </Suspense>
          <Show when={inCall() && call.stage.open()}>
            <CallStage call={call} names={names} showControls={controlsAt() === 'stage'} />
          </Show>
          <Show when={inCall() && controlsAt() === 'dock'}>
            <CallDock call={call} names={names} covered={panelApi()?.covering() ?? false} />
          </Show>
        </main>
        <SidePanel panels={panels} initial="people" ref={setPanelApi} />
      </div>
      <FileOfferToast
        files={files}
        state={state}
        names={names}
        hidden={panelApi()?.visible('files') ?? false}
        onOpenFiles={() => panelApi()?.show('files')}
      />
      <SharedFilesToast
        inbox={sharedInbox}
        files={files}
        onOffered={() => panelApi()?.show('files')}
      />
      <IncomingCallToast
        call={call}
        hidden={panelApi()?.visible('call') ?? false}
        onOpenCall={() => panelApi()?.show('call')}
      />
      <ShareDialog
        url={roomLink(props.roomId, secret)}
        ref={(api) => {
          share = api;
          if (shareWanted) queueMicrotask(api.open);
        }}
      />
      <RenameDialog names={names} ref={(api) => (rename = api)} />
      <ForgetRoomDialog ref={(api) => (forget = api)} onForget={forgetRoom} />
    </div>
  );
}

const LINK_PROBLEMS: Record<LinkProblem, { title: string; text: string }> = {
  missing_key: {
    title: 'This link is missing its key',
    text:
      'This room is protected: its key is the part of the link after #k=. ' +
      'Ask for the full link. Nothing has been opened or sent.',
  },
  damaged: {
    title: 'This link is damaged',
    text:
      'Its key is incomplete or belongs to another room. ' +
      'Ask for the full link. Nothing has been opened or sent.',
  },
  insecure: {
    title: 'This room needs a secure page',
    text:
      'Protected rooms work only over https (or on this computer, localhost). ' +
      'Open the link from the https address of this Peerboard.',
  },
};

function LinkProblemPage(props: { kind: LinkProblem }) {
  return (
    <MessagePage
      title={LINK_PROBLEMS[props.kind].title}
      text={LINK_PROBLEMS[props.kind].text}
      kind={props.kind}
    />
  );
}

export function NotFoundPage(props: { path: string }) {
  const isRoom = () => props.path.startsWith('/r/');
  return (
    <MessagePage
      title={isRoom() ? 'This room link looks broken' : 'Page not found'}
      text={
        isRoom()
          ? 'Part of the link may be missing. Ask for the link again, or start a new room.'
          : 'There is nothing at this address.'
      }
    />
  );
}

function MessagePage(props: { title: string; text: string; kind?: string }) {
  return (
    <div class="prejoin">
      <PageHeader />
      <main class="prejoin-main">
        <div class="card prejoin-card" data-link-problem={props.kind}>
          <h1 class="start-title">{props.title}</h1>
          <p class="field-hint">{props.text}</p>
          <button
            type="button"
            class="btn btn-primary btn-lg btn-block"
            onClick={() => navigate('/')}
          >
            Go to the start page
          </button>
        </div>
      </main>
    </div>
  );
}
