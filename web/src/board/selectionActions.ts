/**
 * What the board does with the selection: restyle, duplicate, reorder, lock, and the clipboard
 * (copy / cut / paste through DataTransfer in copy/cut/paste events, or the async Clipboard API
 * from the context menu). Each action is one document transaction, so one undo step.
 */
import type * as Y from 'yjs';
import { assertNever } from '@peerboard/protocol';
import {
  compareElements,
  deleteElements,
  followBindings,
  groupElements,
  LOCAL_ORIGIN,
  ungroupElements,
  reorderElements,
  updateElement,
  type BoardElement,
  type BoardUndo,
  type ZMove,
} from '@peerboard/core/collab';
import {
  CLIPBOARD_MIME,
  CLIPBOARD_WEB_MIME,
  draftsOf,
  encodeClipboard,
  type CopyDraft,
  offsetDrafts,
  parseClipboard,
  placeDrafts,
  textDraft,
} from './clipboard';
import { addCopies } from './addCopies';
import { boardToSvg } from './exportBoard';
import { clipboardImages, readClipboardImages } from './images/clipboardImages';
import type { BoardController } from './input/controller';
import type { SelectionAction } from './input/shortcuts';
import { fontSizeFor, type DrawStyle } from './input/tools';
import type { BoardRenderer } from './render/renderer';
import { measureText } from './render/textMeasure';
import { stylePatch } from './styleSelection';
import { screenToWorld } from './viewport';
import { translatePatch } from './transform';
import {
  alignMoves,
  distributeMoves,
  type Align,
  type Arrangeable,
  type Distribute,
  type Moves,
} from './arrange';

export interface SelectionActions {
  selected(): BoardElement[];
  /** a menu item or shortcut (the clipboard ones through the async Clipboard API) */
  run(action: SelectionAction): void;
  applyStyle(style: Partial<DrawStyle>): void;
  duplicate(): void;
  reorder(where: ZMove): void;
  /** lock the selection, or unlock it when all of it is locked */
  toggleLock(): void;
  /** copy/cut event: writes the clipboard; false when there is nothing to copy */
  copyTo(data: DataTransfer, cut: boolean): boolean;
  /** paste event: false when the clipboard holds nothing the board takes */
  pasteFrom(data: DataTransfer): boolean;
  /** the menu's Copy / Cut: the async Clipboard API; false when the browser refused */
  copyAsync(cut: boolean): Promise<boolean>;
  /** the menu's Paste; false when the browser refused to read the clipboard */
  pasteAsync(): Promise<boolean>;
}

const DUPLICATE_OFFSET = 16;

export function makeSelectionActions(o: {
  doc: Y.Doc;
  undo: BoardUndo;
  renderer: BoardRenderer;
  controller: BoardController;
  /** image bytes: carried in copies, taken from pastes (verified by the store) */
  images?: {
    bytes(sha256: string): Uint8Array | null;
    add(bytes: Uint8Array): Promise<unknown>;
  };
}): SelectionActions {
  const { doc, undo, renderer, controller } = o;
  // what this tab copied last: Paste still works where the browser keeps the clipboard from us
  let lastCopied: string | null = null;

  const selected = (): BoardElement[] => {
    const out: BoardElement[] = [];
    for (const id of controller.selection()) {
      const e = renderer.scene.get(id);
      if (e) out.push(e.el);
    }
    return out.sort(compareElements);
  };

  const step = (fn: () => void): void => {
    undo.stopCapturing();
    doc.transact(fn, LOCAL_ORIGIN);
    undo.stopCapturing();
  };

  /** where a paste goes: under the pointer, else the middle of the view */
  const pastePoint = () => {
    const p = controller.pointer();
    if (p) return p;
    const { width, height } = renderer.size();
    return screenToWorld(renderer.viewport(), width / 2, height / 2);
  };

  const insert = (drafts: CopyDraft[]): void => {
    undo.stopCapturing();
    const added = addCopies(doc, drafts);
    undo.stopCapturing();
    if (added.length === 0) return;
    controller.setTool('select');
    controller.setSelection(added.map((e) => e.id));
  };

  const pasteText = (text: string): boolean => {
    const parsed = parseClipboard(text);
    if (parsed.ok) {
      insert(placeDrafts(parsed.value, pastePoint()));
      if (o.images && parsed.value.some((d) => d.type === 'image'))
        for (const bytes of readClipboardImages(text)) void o.images.add(bytes);
      return true;
    }
    if (parsed.code !== 'ERR_NOT_PEERBOARD') return false;
    const style = controller.style();
    const draft = textDraft(
      text,
      pastePoint(),
      { ...style, fontSize: fontSizeFor(style.strokeWidth) },
      measureText,
    );
    if (!draft) return false;
    insert([draft]);
    return true;
  };

  const copyPayload = (cut: boolean) => {
    const els = selected();
    if (els.length === 0) return null;
    const bytesOf = (sha: string) => o.images?.bytes(sha) ?? null;
    const json = encodeClipboard(els, clipboardImages(els, bytesOf));
    lastCopied = json;
    if (cut) {
      deleteElements(
        doc,
        els.map((e) => e.id),
      );
      undo.stopCapturing();
    }
    return { json, svg: boardToSvg(els, bytesOf) };
  };

  const arrangeables = (): Arrangeable[] =>
    selected().map((el) => ({
      id: el.id,
      bounds: renderer.scene.get(el.id)!.bounds,
      ...(el.group ? { group: el.group } : {}),
    }));

  /** one undo step: the moves, and the arrows attached to what moved */
  const arrange = (moves: Moves): void => {
    if (moves.size === 0) return;
    step(() => {
      for (const [id, d] of moves) {
        const el = renderer.scene.get(id)?.el;
        if (el) updateElement(doc, id, translatePatch(el, d.x, d.y));
      }
      followBindings(doc, new Set(moves.keys()));
    });
  };

  const api: SelectionActions = {
    selected,
    run(a) {
      switch (a) {
        case 'duplicate':
          return api.duplicate();
        case 'forward':
        case 'backward':
        case 'front':
        case 'back':
          return api.reorder(a);
        case 'lock':
          return api.toggleLock();
        case 'copy':
        case 'cut':
          return void api.copyAsync(a === 'cut');
        case 'paste':
          return void api.pasteAsync();
        case 'delete':
          return controller.deleteSelection();
        case 'group':
          return step(() => void groupElements(doc, controller.selection()));
        case 'ungroup':
          return step(() => ungroupElements(doc, controller.selection()));
        case 'align-left':
        case 'align-centre':
        case 'align-right':
        case 'align-top':
        case 'align-middle':
        case 'align-bottom':
          return arrange(alignMoves(arrangeables(), a.slice(6) as Align));
        case 'distribute-horizontal':
        case 'distribute-vertical':
          return arrange(distributeMoves(arrangeables(), a.slice(11) as Distribute));
        default:
          return assertNever(a);
      }
    },
    applyStyle(style) {
      const els = selected();
      if (els.length === 0) return;
      step(() => {
        for (const el of els) updateElement(doc, el.id, stylePatch(el, style, measureText));
      });
    },
    duplicate() {
      const els = selected();
      if (els.length > 0) insert(offsetDrafts(draftsOf(els), DUPLICATE_OFFSET, DUPLICATE_OFFSET));
    },
    reorder(where) {
      const ids = controller.selection();
      if (ids.length === 0) return;
      undo.stopCapturing();
      reorderElements(doc, ids, where);
      undo.stopCapturing();
    },
    toggleLock() {
      const els = selected();
      if (els.length === 0) return;
      const lock = !els.every((e) => e.locked === true);
      step(() => {
        for (const el of els) updateElement(doc, el.id, { locked: lock });
      });
    },
    copyTo(data, cut) {
      const payload = copyPayload(cut);
      if (!payload) return false;
      data.setData(CLIPBOARD_MIME, payload.json);
      data.setData('text/plain', payload.json);
      data.setData('text/html', payload.svg);
      return true;
    },
    pasteFrom(data) {
      const text = data.getData(CLIPBOARD_MIME) || data.getData('text/plain');
      return text !== '' && pasteText(text);
    },
    async copyAsync(cut) {
      const payload = copyPayload(cut);
      if (!payload) return false;
      const blob = (text: string, type: string) => new Blob([text], { type });
      const items: Record<string, Blob> = {
        'text/plain': blob(payload.json, 'text/plain'),
        'text/html': blob(payload.svg, 'text/html'),
      };
      try {
        await navigator.clipboard.write([
          new ClipboardItem({
            ...items,
            [CLIPBOARD_WEB_MIME]: blob(payload.json, CLIPBOARD_WEB_MIME),
          }),
        ]);
        return true;
      } catch {
        // browsers without web custom formats: the standard types alone
        try {
          await navigator.clipboard.write([new ClipboardItem(items)]);
          return true;
        } catch {
          return false;
        }
      }
    },
    async pasteAsync() {
      try {
        const items = await navigator.clipboard.read();
        for (const item of items) {
          const type = item.types.includes(CLIPBOARD_WEB_MIME)
            ? CLIPBOARD_WEB_MIME
            : item.types.includes('text/plain')
              ? 'text/plain'
              : null;
          if (type) return pasteText(await (await item.getType(type)).text());
        }
        return false;
      } catch {
        // reading was refused (permission): this tab's own last copy still pastes
        return lastCopied !== null && pasteText(lastCopied);
      }
    },
  };
  return api;
}
