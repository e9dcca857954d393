import { initials, peerColor } from '@peerboard/core/collab';

interface AvatarProps {
  id: string;
  name: string;
  size?: 'sm' | 'md';
}

/** Coloured initials; the name is read out by the surrounding text, so this is decorative. */
export function Avatar(props: AvatarProps) {
  return (
    <span
      class={`avatar avatar-${props.size ?? 'md'}`}
      style={{ '--peer-color': peerColor(props.id) }}
      aria-hidden="true"
    >
      {initials(props.name)}
    </span>
  );
}
