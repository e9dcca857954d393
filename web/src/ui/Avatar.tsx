import { initials, peerColor } from '@peerboard/core/collab';

interface AvatarProps {
  id: string;
  name: string;
  size?: 'sm' | 'md';
  /** their presence colour (the one of their cursor); else one derived from the id */
  colour?: string;
}

/** Coloured initials; the name is read out by the surrounding text, so this is decorative. */
export function Avatar(props: AvatarProps) {
  return (
    <span
      class={`avatar avatar-${props.size ?? 'md'}`}
      style={{ '--peer-color': props.colour ?? peerColor(props.id) }}
      aria-hidden="true"
    >
      {initials(props.name)}
    </span>
  );
}
