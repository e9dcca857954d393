import { createSignal, For, Match, Show, Switch } from 'solid-js';
import type { CallState } from '../../state/createCallState';
import type { PeerNames } from '../../state/createPeerNames';
import { isSecurePage } from '../../state/secureContext';
import { Avatar } from '../Avatar';
import { AlertIcon, CloseIcon, VideoIcon } from '../icons';
import { CallControls } from './CallControls';
import { CallNeedsHttps } from './CallNeedsHttps';
import { SpeakerIcon, StageIcon } from './callIcons';
import { RemoteAudio } from './RemoteAudio';
import { VideoTile } from './VideoTile';
import './call.css';

/**
 * The Call tab: start / join (or join to listen), then the video grid with its controls. While
 * the stage shows the call over the board, the tiles are there and this tab says so.
 */
export function CallPanel(props: { call: CallState; names: PeerNames; showControls: boolean }) {
  const s = () => props.call.state;
  const call = () => props.call.call;
  const [audioBlocked, setAudioBlocked] = createSignal(false);
  let audio: { retry: () => void } | undefined;

  return (
    <div class="call" data-phase={s().phase}>
      <Show when={s().error}>
        {(error) => (
          <div class="call-alert" role="alert">
            <AlertIcon size={18} />
            <p>{error().message}</p>
            <button
              type="button"
              class="btn btn-ghost icon-btn"
              aria-label="Dismiss"
              onClick={() => call().dismissError()}
            >
              <CloseIcon size={16} />
            </button>
          </div>
        )}
      </Show>
      <Switch>
        <Match when={s().phase === 'idle' && !isSecurePage()}>
          <CallNeedsHttps />
        </Match>
        <Match when={s().phase === 'idle'}>
          <div class="call-intro">
            <span class="placeholder-icon placeholder-icon-lg">
              <VideoIcon size={28} />
            </span>
            <Show
              when={s().incoming}
              fallback={
                <>
                  <h2 class="call-title">Talk face to face</h2>
                  <p class="placeholder-text">
                    Start a video call with everyone in the room. The board, chat and files stay
                    connected while you talk.
                  </p>
                  <button
                    type="button"
                    class="btn btn-primary btn-lg"
                    onClick={() => void call().start()}
                  >
                    Start call
                  </button>
                </>
              }
            >
              {(inc) => (
                <>
                  <h2 class="call-title" data-incoming="true">
                    {inc().startedByName} started a call
                  </h2>
                  <div class="call-who">
                    <span class="call-avatars">
                      <For each={s().participants.slice(0, 4)}>
                        {(p) => (
                          <Avatar
                            id={p.id}
                            name={p.fullName}
                            size="sm"
                            colour={props.names.personColour(p)}
                          />
                        )}
                      </For>
                    </span>
                    <span class="placeholder-text">
                      {inc().count === 1 ? '1 person is in it' : `${inc().count} people are in it`}
                    </span>
                  </div>
                  <button
                    type="button"
                    class="btn btn-primary btn-lg"
                    onClick={() => void call().start()}
                  >
                    Join call
                  </button>
                  <button
                    type="button"
                    class="btn btn-ghost"
                    onClick={() => void call().start({ listenOnly: true })}
                  >
                    <SpeakerIcon size={18} /> Join to listen only
                  </button>
                  <p class="placeholder-text">
                    Listen only needs no camera or microphone. You can turn the microphone on later.
                  </p>
                </>
              )}
            </Show>
          </div>
        </Match>
        <Match when={s().phase === 'starting'}>
          <div class="call-intro" aria-live="polite">
            <span class="spinner call-spinner" aria-hidden="true" />
            <h2 class="call-title">Asking for your camera and microphone…</h2>
            <p class="placeholder-text">Allow them in the browser's prompt to join.</p>
            <button type="button" class="btn btn-secondary" onClick={() => call().leave()}>
              Cancel
            </button>
          </div>
        </Match>
        <Match when={s().phase === 'in_call'}>
          <Show when={s().notice}>
            <p class="call-notice">{s().notice}</p>
          </Show>
          <Show when={audioBlocked()}>
            <button
              type="button"
              class="btn btn-primary call-unlock"
              onClick={() => audio?.retry()}
            >
              <SpeakerIcon size={18} /> Click to enable audio
            </button>
          </Show>
          <Show
            when={!props.call.stage.open()}
            fallback={
              <div class="call-intro call-on-stage">
                <span class="placeholder-icon">
                  <StageIcon size={22} />
                </span>
                <p class="placeholder-text">
                  The call is shown over the board. Chat and files stay here.
                </p>
                <button
                  type="button"
                  class="btn btn-secondary"
                  onClick={() => props.call.stage.setOpen(false)}
                >
                  Back to board
                </button>
              </div>
            }
          >
            <button
              type="button"
              class="btn btn-secondary call-stage-open"
              onClick={() => props.call.stage.setOpen(true)}
            >
              <StageIcon size={18} /> Show the call large
            </button>
            <ul
              class="video-grid"
              data-count={Math.min(props.call.stage.tileIds().length, 6)}
              aria-label={`${s().participants.length} in the call`}
            >
              <For each={props.call.stage.tileIds()}>
                {(id) => {
                  const tile = () => props.call.stage.tile(id);
                  return (
                    <Show when={s().participants.find((p) => p.id === tile()?.owner)}>
                      {(p) => (
                        <li>
                          <VideoTile
                            p={p()}
                            kind={tile()?.kind ?? 'person'}
                            call={call()}
                            mediaVersion={s().mediaVersion}
                            colour={props.names.personColour(p())}
                          />
                        </li>
                      )}
                    </Show>
                  );
                }}
              </For>
            </ul>
          </Show>
          <Show when={s().participants.length === 1}>
            <p class="call-alone">You are the only one here. The others see “Join call”.</p>
          </Show>
          <RemoteAudio
            call={call()}
            participants={s().participants}
            mediaVersion={s().mediaVersion}
            onBlocked={setAudioBlocked}
            ref={(api) => (audio = api)}
          />
          <Show when={props.showControls}>
            <CallControls call={call()} state={s()} />
          </Show>
        </Match>
      </Switch>
    </div>
  );
}
