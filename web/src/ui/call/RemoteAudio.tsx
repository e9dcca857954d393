import { createEffect, For, onCleanup } from 'solid-js';
import type { Call, ParticipantView } from '@peerboard/core/call';

/**
 * One <audio> per remote participant. Browsers may refuse play() without a user gesture; then
 * `onBlocked` lets the panel offer a "click to enable audio" button that calls `retry`.
 */
export function RemoteAudio(props: {
  call: Call;
  participants: ParticipantView[];
  mediaVersion: number;
  onBlocked: (blocked: boolean) => void;
  ref: (api: { retry: () => void }) => void;
}) {
  const elements = new Set<HTMLAudioElement>();
  const play = (el: HTMLAudioElement) =>
    el.srcObject &&
    el.play().then(
      () => props.onBlocked(false),
      (e: unknown) => {
        if ((e as { name?: string })?.name === 'NotAllowedError') props.onBlocked(true);
      },
    );
  props.ref({ retry: () => elements.forEach((el) => void play(el)) });

  return (
    <div class="remote-audio" hidden>
      <For each={props.participants.filter((p) => !p.self)}>
        {(p) => {
          let el: HTMLAudioElement | undefined;
          createEffect(() => {
            void props.mediaVersion;
            const stream = props.call.remoteStream(p.id);
            if (!el || el.srcObject === stream) return;
            el.srcObject = stream;
            void play(el);
          });
          onCleanup(() => el && elements.delete(el));
          return (
            <audio
              ref={(a) => {
                el = a;
                elements.add(a);
              }}
              data-peer-id={p.id}
              autoplay
            />
          );
        }}
      </For>
    </div>
  );
}
