/**
 * Keyboard shortcuts: shortcuts.ts maps a key to a BoardCommand, this runs it. Space held turns
 * a drag into a pan until it is released (or the window loses focus).
 */
import { assertNever } from '@peerboard/protocol';
import type { InputCore } from './inputCore';
import { commandForKey, type BoardCommand } from './shortcuts';
import { ZOOM_STEP } from '../viewport';

export interface KeyboardInput {
  /** a keydown not aimed at a text field; true when it was a board shortcut */
  keyDown(e: KeyboardEvent): boolean;
  keyUp(e: KeyboardEvent): void;
  /** the window lost focus: the space key's release will not arrive */
  blur(): void;
}

export function makeKeyboardInput(core: InputCore): KeyboardInput {
  const { undo, renderer, events } = core;

  /** Runs a shortcut; false when it does not apply now (so the key keeps its default). */
  const run = (cmd: BoardCommand): boolean => {
    switch (cmd.kind) {
      case 'pan-mode':
        if (!core.spaceHeld) {
          core.spaceHeld = true;
          core.updateCursor();
        }
        return true;
      case 'undo':
        undo.undo();
        return true;
      case 'redo':
        undo.redo();
        return true;
      case 'select-all':
        core.setTool('select');
        core.setSelection(renderer.scene.ordered().map((en) => en.el.id));
        return true;
      case 'zoom-in':
        core.zoomBy(ZOOM_STEP);
        return true;
      case 'zoom-out':
        core.zoomBy(1 / ZOOM_STEP);
        return true;
      case 'zoom-reset':
        core.zoomBy(1 / renderer.viewport().zoom);
        return true;
      case 'zoom-fit':
        core.zoomToFit();
        return true;
      case 'help':
        events.emit('help', undefined);
        return true;
      case 'delete':
        core.deleteSelection();
        return true;
      case 'escape':
        if (core.active) core.cancelActive();
        else core.setSelection([]);
        return true;
      case 'nudge': {
        if (core.selection.size === 0) return false;
        const z = renderer.viewport().zoom;
        core.nudge(cmd.dx / z, cmd.dy / z);
        return true;
      }
      case 'tool':
        core.setTool(cmd.tool);
        return true;
      case 'menu':
        events.emit('menu', core.menuPoint());
        return true;
      case 'grid':
        core.setGrid(!core.grid);
        return true;
      case 'action':
        if (core.selection.size === 0) return false;
        events.emit('action', cmd.action);
        return true;
      default:
        return assertNever(cmd);
    }
  };

  return {
    keyDown(e) {
      const cmd = commandForKey(e);
      return cmd !== null && run(cmd);
    },
    keyUp(e) {
      if (e.key === ' ') {
        core.spaceHeld = false;
        core.updateCursor();
      }
    },
    blur() {
      core.spaceHeld = false;
      core.updateCursor();
    },
  };
}
