import { createEffect, createSignal, onCleanup, Show } from 'solid-js';
import type { ParticipantView } from '@peerboard/core/call';
import { initials } from '@peerboard/core/collab';
import type { CallState } from '../../state/createCallState';
import type { PeerNames } from '../../state/createPeerNames';
import { CallControls } from './CallControls';
import { PipIcon, StageIcon } from './callIcons';
import { tileShowsVideo, tileStream, type TileKind } from './VideoTile';
import './stage.css';

/**
 * The in-call bar: while we are in a call and neither the stage nor the Call tab shows its
 * controls (Chat or Files open, the board in front, a phone sheet over the stage), mute,
 * camera, share and leave stay one tap away, with who is on stage (the large tile, or the
 * active speaker of the gallery) as a small live picture that can pop out into the browser's
 * picture-in-picture window, which then follows whoever takes the stage.
 */
export function CallDock(props: { call: CallState; names: PeerNames; covered: boolean }) {
  const s = () => props.call.state;
  const stage = props.call.stage;
  const focus = () => {
    const t = stage.tile(stage.layout().focus ?? '');
    const p = t && s().participants.find((x) => x.id === t.owner);
    return p ? { p, kind: t.kind } : null;
  };
  const anyoneSpeaking = () => s().participants.some((p) => p.speaking);
  return (
    <div
      class="call-dock"
      role="region"
      aria-label="Call in progress"
      data-covered={props.covered ? 'true' : 'false'}
    >
      <Show when={!stage.open() && focus()}>
        {(f) => (
          <DockPip
            p={f().p}
            kind={f().kind}
            call={props.call}
            colour={props.names.personColour(f().p)}
          />
        )}
      </Show>
      <p class="dock-status" data-speaking={anyoneSpeaking() ? 'true' : 'false'}>
        <span class="dock-dot" aria-hidden="true" />
        <span class="dock-status-text">
          <span class="dock-status-long">In call · </span>
          <span aria-label={`${s().participants.length} in the call`}>
            {s().participants.length}
          </span>
          <span class="dock-status-long">
            {s().participants.length === 1 ? ' person' : ' people'}
          </span>
        </span>
      </p>
      <CallControls
        call={props.call.call}
        state={s()}
        extra={
          <Show when={!stage.open()}>
            <button
              type="button"
              class="call-btn"
              aria-label="Show the call"
              title="Show the call over the board"
              onClick={() => stage.setOpen(true)}
            >
              <StageIcon />
            </button>
          </Show>
        }
      />
    </div>
  );
}

const pipSupported = () =>
  typeof document !== 'undefined' &&
  document.pictureInPictureEnabled === true &&
  typeof HTMLVideoElement.prototype.requestPictureInPicture === 'function';

/** Who is on stage, small and live; a tap opens the stage, the button beside pops it out. */
function DockPip(props: { p: ParticipantView; kind: TileKind; call: CallState; colour: string }) {
  const showsVideo = () => tileShowsVideo(props.p, props.kind);
  const [popped, setPopped] = createSignal(false);
  const [pipError, setPipError] = createSignal<string | null>(null);
  let video: HTMLVideoElement | undefined;
  createEffect(() => {
    void props.call.state.mediaVersion;
    const stream = tileStream(props.call.call, props.p, props.kind);
    if (!video || video.srcObject === stream) return;
    video.srcObject = stream;
    if (stream) void video.play().catch(() => undefined);
  });
  onCleanup(() => {
    if (video && document.pictureInPictureElement === video)
      void document.exitPictureInPicture().catch(() => undefined);
  });
  const togglePip = async () => {
    if (!video) return;
    setPipError(null);
    try {
      if (document.pictureInPictureElement === video) await document.exitPictureInPicture();
      else await video.requestPictureInPicture();
    } catch {
      setPipError('Your browser did not open the picture-in-picture window. Try again.');
    }
  };
  const who = () => (props.kind === 'screen' ? `${props.p.name}’s screen` : props.p.name);
  return (
    <>
      <button
        type="button"
        class="dock-pip"
        data-speaking={props.p.speaking && props.kind === 'person' ? 'true' : 'false'}
        data-video={showsVideo() ? 'on' : 'off'}
        style={{ '--peer-color': props.colour }}
        aria-label={`Open the call stage (${who()} is on it)`}
        title="Open the call stage"
        onClick={() => props.call.stage.setOpen(true)}
      >
        <video
          ref={video}
          classList={{ mirrored: props.p.self && props.kind === 'person' }}
          autoplay
          playsinline
          muted
          aria-hidden="true"
          onEnterPictureInPicture={() => setPopped(true)}
          onLeavePictureInPicture={() => setPopped(false)}
        />
        <Show when={!showsVideo()}>
          <span class="dock-avatar" aria-hidden="true">
            {initials(props.p.fullName)}
          </span>
        </Show>
      </button>
      <Show when={pipSupported() && (showsVideo() || popped())}>
        <button
          type="button"
          class="call-btn dock-pip-toggle"
          aria-pressed={popped() ? 'true' : 'false'}
          aria-label={popped() ? 'Close the floating video' : 'Float the video over other windows'}
          title={
            popped()
              ? 'Close the floating video'
              : 'Picture-in-picture: keep who speaks in view over other windows'
          }
          onClick={() => void togglePip()}
        >
          <PipIcon />
        </button>
      </Show>
      <Show when={pipError()}>
        {(m) => (
          <p class="dock-pip-error" role="alert">
            {m()}
          </p>
        )}
      </Show>
    </>
  );
}
