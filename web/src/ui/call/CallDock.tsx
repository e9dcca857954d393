import { createEffect, Show } from 'solid-js';
import type { ParticipantView } from '@peerboard/core/call';
import { initials, peerColor } from '@peerboard/core/collab';
import type { CallState } from '../../state/createCallState';
import { CallControls } from './CallControls';
import { StageIcon } from './callIcons';
import './stage.css';

/**
 * The in-call bar: while we are in a call and neither the stage nor the Call tab shows its
 * controls (Chat or Files open, the board in front, a phone sheet over the stage), mute,
 * camera, share and leave stay one tap away, with who is on stage as a small live picture.
 */
export function CallDock(props: { call: CallState; covered: boolean }) {
  const s = () => props.call.state;
  const stage = props.call.stage;
  const main = () => s().participants.find((p) => p.id === stage.layout().main) ?? null;
  const anyoneSpeaking = () => s().participants.some((p) => p.speaking);
  return (
    <div
      class="call-dock"
      role="region"
      aria-label="Call in progress"
      data-covered={props.covered ? 'true' : 'false'}
    >
      <Show when={!stage.open() && main()}>{(p) => <DockPip p={p()} call={props.call} />}</Show>
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

/** Who is on stage, small and live; a tap opens the stage. */
function DockPip(props: { p: ParticipantView; call: CallState }) {
  const showsVideo = () =>
    props.p.hasStream && (props.p.screen || (props.p.hasVideo && !props.p.videoOff));
  let video: HTMLVideoElement | undefined;
  createEffect(() => {
    void props.call.state.mediaVersion;
    const c = props.call.call;
    const stream = props.p.self ? c.localStream() : c.remoteStream(props.p.id);
    if (!video || video.srcObject === stream) return;
    video.srcObject = stream;
    if (stream) void video.play().catch(() => undefined);
  });
  return (
    <button
      type="button"
      class="dock-pip"
      data-speaking={props.p.speaking ? 'true' : 'false'}
      data-video={showsVideo() ? 'on' : 'off'}
      style={{ '--peer-color': peerColor(props.p.id) }}
      aria-label={`Open the call stage (${props.p.name} is on it)`}
      title="Open the call stage"
      onClick={() => props.call.stage.setOpen(true)}
    >
      <video
        ref={video}
        classList={{ mirrored: props.p.self && !props.p.screen }}
        autoplay
        playsinline
        muted
        aria-hidden="true"
      />
      <Show when={!showsVideo()}>
        <span class="dock-avatar" aria-hidden="true">
          {initials(props.p.fullName)}
        </span>
      </Show>
    </button>
  );
}
