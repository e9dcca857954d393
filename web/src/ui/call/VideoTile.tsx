import { assertNever } from '@peerboard/protocol';
import { createEffect, createUniqueId, Show, type JSX } from 'solid-js';
import type { Call, ParticipantView } from '@peerboard/core/call';
import type { Quality, QualitySample } from '@peerboard/core/call';
import { initials } from '@peerboard/core/collab';
import { MicOffIcon } from './callIcons';

export function qualityLabel(q: Quality): string {
  switch (q) {
    case 'good':
      return 'Good connection';
    case 'fair':
      return 'Unstable connection';
    case 'poor':
      return 'Poor connection';
    case 'unknown':
      return 'Measuring connection…';
    default:
      return assertNever(q);
  }
}

/** the figures behind the label, one line each, in words a non-engineer can read */
export function qualityFigures(link: QualitySample | null): string[] {
  if (!link) return [];
  const lines: string[] = [];
  if (link.lossPct !== null) lines.push(`Packets lost: ${link.lossPct.toFixed(1)} %`);
  if (link.rttMs !== null) lines.push(`Round trip: ${Math.round(link.rttMs)} ms`);
  if (link.bitrateKbps !== null) lines.push(`Receiving: ${Math.round(link.bitrateKbps)} kbit/s`);
  return lines;
}

const BARS: Record<Quality, number> = { good: 3, fair: 2, poor: 1, unknown: 0 };

/** what a tile shows: the person's camera (or initials), or the screen they share */
export type TileKind = 'person' | 'screen';

export const tileShowsVideo = (p: ParticipantView, kind: TileKind): boolean =>
  kind === 'screen' ? p.hasScreenStream : p.hasStream && p.hasVideo && !p.videoOff;

export const tileStream = (call: Call, p: ParticipantView, kind: TileKind): MediaStream | null =>
  kind === 'screen'
    ? p.self
      ? call.localScreen()
      : call.remoteScreen(p.id)
    : p.self
      ? call.localStream()
      : call.remoteStream(p.id);

/**
 * One participant's camera (muted: sound plays through <RemoteAudio>), or their initials when
 * the camera is off or there is none; or, as a tile of its own, the screen they share. Our own
 * camera is mirrored, as in a mirror; a shared screen never is.
 */
export function VideoTile(props: {
  p: ParticipantView;
  call: Call;
  mediaVersion: number;
  kind?: TileKind;
  /** the person's colour, the same as in the People list and on the board */
  colour: string;
  /** buttons over the tile (pin, full screen) on the stage */
  actions?: JSX.Element;
}) {
  let video: HTMLVideoElement | undefined;
  const kind = () => props.kind ?? 'person';
  const isScreen = () => kind() === 'screen';
  const showsVideo = () => tileShowsVideo(props.p, kind());

  createEffect(() => {
    void props.mediaVersion;
    const stream = tileStream(props.call, props.p, kind());
    if (!video || video.srcObject === stream) return;
    video.srcObject = stream;
    if (stream) void video.play().catch(() => undefined); // muted video may always autoplay
  });

  return (
    <figure
      class="tile"
      data-peer-id={props.p.id}
      data-self={props.p.self ? 'true' : 'false'}
      data-speaking={props.p.speaking && !isScreen() ? 'true' : 'false'}
      data-audio-muted={props.p.audioMuted ? 'true' : 'false'}
      data-video={showsVideo() ? 'on' : 'off'}
      data-screen={isScreen() ? 'true' : 'false'}
      style={{ '--peer-color': props.colour }}
    >
      <video
        ref={video}
        class="tile-video"
        classList={{ mirrored: props.p.self && !isScreen() }}
        autoplay
        playsinline
        muted
        aria-hidden="true"
      />
      <Show when={!showsVideo()}>
        <div class="tile-avatar" aria-hidden="true">
          {initials(props.p.fullName)}
        </div>
      </Show>
      <figcaption class="tile-caption">
        <Show when={props.p.audioMuted && !isScreen()}>
          <span class="tile-muted" role="img" aria-label="Microphone off">
            <MicOffIcon size={14} />
          </span>
        </Show>
        <span class="tile-name">
          <bdi>{props.p.name}</bdi>
          <Show when={isScreen()}> · screen</Show>
          <Show when={props.p.listening && !isScreen()}> · listening</Show>
        </span>
        <Show when={!props.p.self}>
          <QualityBadge quality={props.p.quality} link={props.p.link} />
        </Show>
      </figcaption>
      <Show when={props.actions}>
        <div class="tile-actions">{props.actions}</div>
      </Show>
    </figure>
  );
}

/**
 * Signal bars with a tooltip (label + loss, round trip, bitrate) on hover and on keyboard
 * focus; Escape hides it again while the badge keeps focus.
 */
function QualityBadge(props: { quality: Quality; link: QualitySample | null }) {
  const tipId = createUniqueId();
  return (
    <span class="tile-quality-wrap">
      <span
        class="tile-quality"
        data-quality={props.quality}
        role="img"
        tabindex="0"
        aria-label={qualityLabel(props.quality)}
        aria-describedby={tipId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') e.currentTarget.dataset.tip = 'hidden';
        }}
        onBlur={(e) => delete e.currentTarget.dataset.tip}
      >
        <i data-on={BARS[props.quality] >= 1 ? 'true' : 'false'} />
        <i data-on={BARS[props.quality] >= 2 ? 'true' : 'false'} />
        <i data-on={BARS[props.quality] >= 3 ? 'true' : 'false'} />
      </span>
      <span class="tile-quality-tip" role="tooltip" id={tipId}>
        <strong>{qualityLabel(props.quality)}</strong>
        {qualityFigures(props.link).map((line) => (
          <span>{line}</span>
        ))}
      </span>
    </span>
  );
}
