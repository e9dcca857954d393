import { createSignal, For, Show, type JSX } from 'solid-js';
import type { Call, CallSnapshot } from '@peerboard/core/call';
import {
  CameraIcon,
  CameraOffIcon,
  MicIcon,
  MicOffIcon,
  PhoneOffIcon,
  ScreenIcon,
  SettingsIcon,
} from './callIcons';

/**
 * The call's buttons, wherever they are shown (panel, stage or the in-call bar; only one at a
 * time): toggles show their state in both the icon and aria-pressed. After a listen-only join
 * the microphone button asks for the microphone.
 */
export function CallControls(props: {
  call: Call;
  state: CallSnapshot;
  /** more buttons before Leave (e.g. open the stage) */
  extra?: JSX.Element;
}) {
  const [devicesOpen, setDevicesOpen] = createSignal(false);
  const self = () => props.state.participants.find((p) => p.self);
  const muted = () => self()?.audioMuted ?? false;
  const cameraOff = () => self()?.videoOff ?? false;
  const sharing = () => self()?.screen ?? false;
  const cameraLabel = () =>
    !self()?.hasVideo ? 'No camera' : cameraOff() ? 'Turn camera on' : 'Turn camera off';

  return (
    <div class="call-controls-wrap">
      <Show when={devicesOpen()}>
        <DevicePicker call={props.call} state={props.state} />
      </Show>
      <div class="call-controls" role="toolbar" aria-label="Call controls">
        <Show
          when={self()?.hasAudio !== false}
          fallback={
            <button
              type="button"
              class="call-btn"
              data-off="true"
              aria-label="Turn microphone on"
              title="Turn microphone on (you joined to listen)"
              onClick={() => void props.call.enableMicrophone()}
            >
              <MicOffIcon />
            </button>
          }
        >
          <button
            type="button"
            class="call-btn"
            data-off={muted() ? 'true' : 'false'}
            aria-pressed={muted() ? 'true' : 'false'}
            aria-label={muted() ? 'Unmute microphone' : 'Mute microphone'}
            title={muted() ? 'Unmute microphone' : 'Mute microphone'}
            disabled={!self()}
            onClick={() => props.call.setMuted(!muted())}
          >
            {muted() ? <MicOffIcon /> : <MicIcon />}
          </button>
        </Show>
        <button
          type="button"
          class="call-btn"
          data-off={cameraOff() || !self()?.hasVideo ? 'true' : 'false'}
          aria-pressed={cameraOff() ? 'true' : 'false'}
          aria-label={cameraLabel()}
          title={cameraLabel()}
          disabled={!self()?.hasVideo}
          onClick={() => props.call.setCameraOff(!cameraOff())}
        >
          {cameraOff() || !self()?.hasVideo ? <CameraOffIcon /> : <CameraIcon />}
        </button>
        <Show when={props.state.canShareScreen}>
          <button
            type="button"
            class="call-btn"
            data-active={sharing() ? 'true' : 'false'}
            aria-pressed={sharing() ? 'true' : 'false'}
            aria-label={sharing() ? 'Stop sharing your screen' : 'Share your screen'}
            title={sharing() ? 'Stop sharing your screen' : 'Share your screen'}
            onClick={() =>
              sharing() ? props.call.stopScreenShare() : void props.call.startScreenShare()
            }
          >
            <ScreenIcon />
          </button>
        </Show>
        <button
          type="button"
          class="call-btn"
          aria-expanded={devicesOpen() ? 'true' : 'false'}
          aria-label="Choose microphone and camera"
          title="Choose microphone and camera"
          onClick={() => {
            setDevicesOpen(!devicesOpen());
            if (devicesOpen()) void props.call.devices.refresh();
          }}
        >
          <SettingsIcon />
        </button>
        {props.extra}
        <button
          type="button"
          class="call-btn call-leave"
          aria-label="Leave call"
          title="Leave call (the board, chat and files stay connected)"
          onClick={() => props.call.leave()}
        >
          <PhoneOffIcon />
        </button>
      </div>
    </div>
  );
}

function DevicePicker(props: { call: Call; state: CallSnapshot }) {
  const d = () => props.state.devices;
  return (
    <div class="device-picker">
      <label class="field">
        <span class="field-label">Microphone</span>
        <select
          class="input"
          value={d().audioInputId ?? ''}
          onChange={(e) => void props.call.devices.select('audio', e.currentTarget.value)}
        >
          <Show when={d().audioInputs.length === 0}>
            <option value="">No microphone found</option>
          </Show>
          <For each={d().audioInputs}>{(o) => <option value={o.id}>{o.label}</option>}</For>
        </select>
      </label>
      <label class="field">
        <span class="field-label">Camera</span>
        <select
          class="input"
          value={d().videoInputId ?? ''}
          onChange={(e) => void props.call.devices.select('video', e.currentTarget.value)}
        >
          <Show when={d().videoInputs.length === 0}>
            <option value="">No camera found</option>
          </Show>
          <For each={d().videoInputs}>{(o) => <option value={o.id}>{o.label}</option>}</For>
        </select>
      </label>
    </div>
  );
}
