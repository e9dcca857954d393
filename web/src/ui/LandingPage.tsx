import { createSignal, Show } from 'solid-js';
import { displayName } from '../state/prefs';
import { newSecretRoom, secretFragment } from '@peerboard/core/secret';
import { checkRoomAccess } from '../state/roomAccessCheck';
import { hasWebCrypto } from '../state/secureContext';
import { newRoomId, parseJoinInput, roomHref, roomPath } from '../state/roomId';
import { navigate } from '../state/router';
import { ArrowRightIcon, ChatIcon, FilesIcon, PenIcon, PlusIcon, ShieldIcon } from './icons';
import { InsecurePageNotice } from './InsecurePageNotice';
import { NameField } from './NameField';
import { PageHeader } from './PageHeader';

const NAME_MISSING = 'Add your name first, so the others know who you are.';
const JOIN_PROBLEMS = {
  missing_key:
    'This room is protected and the link is missing its key. Paste the full link (it ends in #k= and a code).',
  damaged: 'This link is damaged: its key belongs to another room. Ask for the full link.',
  insecure: 'Protected rooms work only over https (or localhost).',
} as const;

export function LandingPage() {
  let nameInput: HTMLInputElement | undefined;
  const [nameError, setNameError] = createSignal<string | null>(null);
  const [joinText, setJoinText] = createSignal('');
  const [joinError, setJoinError] = createSignal<string | null>(null);
  /** Rooms are protected (secret in the link) unless the creator opts out. */
  const [openRoom, setOpenRoom] = createSignal(false);
  const [createProblem, setCreateProblem] = createSignal<'insecure' | string | null>(null);

  const requireName = (): boolean => {
    if (displayName().trim() !== '') return true;
    setNameError(NAME_MISSING);
    nameInput?.focus();
    return false;
  };

  const create = async (open = openRoom()) => {
    if (!requireName()) return;
    if (open) return navigate(roomPath(newRoomId()));
    // plain http on a LAN address: no WebCrypto, so no protected room (never a dead button)
    if (!hasWebCrypto()) return setCreateProblem('insecure');
    try {
      const { roomId, secret } = await newSecretRoom();
      navigate(roomHref(roomId, secret));
    } catch (e) {
      setCreateProblem(`The room could not be created: ${(e as Error).message}`);
    }
  };

  const join = async (e: SubmitEvent) => {
    e.preventDefault();
    const parsed = parseJoinInput(joinText());
    if (!parsed.ok) {
      setJoinError(parsed.message);
      return;
    }
    // the room page would refuse these too; saying so here keeps the pasted text to fix
    const access = await checkRoomAccess(
      parsed.roomId,
      parsed.secret === null ? '' : secretFragment(parsed.secret),
    );
    if (access.kind !== 'open' && access.kind !== 'protected') {
      setJoinError(JOIN_PROBLEMS[access.kind]);
      return;
    }
    if (requireName()) navigate(roomHref(parsed.roomId, parsed.secret));
  };

  return (
    <div class="landing">
      <a class="skip-link" href="#start">
        Skip to create or join a room
      </a>
      <PageHeader />

      <main class="landing-main">
        <section class="hero" aria-labelledby="hero-title">
          <p class="eyebrow">Peer-to-peer workspace</p>
          <h1 id="hero-title" class="hero-title">
            Sketch, share and talk, straight between browsers.
          </h1>
          <p class="hero-pitch">
            Peerboard is a shared whiteboard with file transfer, chat and calls. No account, no
            uploads: your board and files go directly to the people in the room.
          </p>
        </section>

        <section id="start" class="card start-card" aria-labelledby="start-title" tabindex="-1">
          <h2 id="start-title" class="start-title">
            Start a session
          </h2>
          <NameField
            id="landing-name"
            ref={(el) => (nameInput = el)}
            error={nameError()}
            onInput={() => setNameError(null)}
            onEnter={() => void create()}
          />
          <button
            type="button"
            class="btn btn-primary btn-lg btn-block"
            onClick={() => void create()}
          >
            <PlusIcon />
            Create a room
          </button>
          <Show when={createProblem()}>
            {(problem) =>
              problem() === 'insecure' ? (
                <InsecurePageNotice onCreateOpen={() => void create(true)} />
              ) : (
                <p class="field-error" role="alert">
                  {problem()}
                </p>
              )
            }
          </Show>
          <label class="check-field">
            <input
              type="checkbox"
              checked={openRoom()}
              onChange={(e) => setOpenRoom(e.currentTarget.checked)}
            />
            <span>Open room (no end-to-end protection)</span>
          </label>

          <div class="divider" role="separator">
            <span>or join a room</span>
          </div>

          <form class="field" onSubmit={(e) => void join(e)} noValidate>
            <label class="field-label" for="join-input">
              Room link or code
            </label>
            <div class="input-row">
              <input
                id="join-input"
                class="input"
                type="text"
                inputMode="url"
                autocomplete="off"
                spellcheck={false}
                placeholder="Paste a link"
                value={joinText()}
                aria-invalid={joinError() ? 'true' : undefined}
                aria-describedby={joinError() ? 'join-error' : undefined}
                onInput={(e) => {
                  setJoinText(e.currentTarget.value);
                  setJoinError(null);
                }}
              />
              <button type="submit" class="btn btn-secondary">
                Join
                <ArrowRightIcon size={16} />
              </button>
            </div>
            <Show when={joinError()}>
              <p id="join-error" class="field-error" role="alert">
                {joinError()}
              </p>
            </Show>
          </form>

          <p class="start-note">
            <ShieldIcon size={16} />
            Only people with the link can join. The server just introduces you to each other; in a
            protected room it cannot read how you connect.
          </p>
        </section>

        <ul class="features" aria-label="What you can do in a room">
          <li>
            <span class="feature-icon">
              <PenIcon />
            </span>
            <span>
              <strong>Live whiteboard</strong>
              <span class="feature-text">Draw together and see every stroke as it happens.</span>
            </span>
          </li>
          <li>
            <span class="feature-icon">
              <FilesIcon />
            </span>
            <span>
              <strong>Files of any size</strong>
              <span class="feature-text">Drop a file and it streams to everyone directly.</span>
            </span>
          </li>
          <li>
            <span class="feature-icon">
              <ChatIcon />
            </span>
            <span>
              <strong>Chat and calls</strong>
              <span class="feature-text">Talk it through without leaving the board.</span>
            </span>
          </li>
        </ul>
      </main>
    </div>
  );
}
