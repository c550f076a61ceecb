/** Searchable "Add node" palette: every catalog type, filtered as you type, keyboard-driven. */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useAtom, useAtomValue } from 'jotai';
import { nodeInfosAtom, portColorsAtom } from '../state/catalog.js';
import { paletteAtom } from '../state/ui.js';
import { addNode } from '../canvas/commands.js';
import { trapTab } from './focus-trap.js';

export function Palette() {
  const open = useAtomValue(paletteAtom);
  // Mounted fresh on every open: the search box starts empty and takes focus while it mounts,
  // so characters typed right after `/` land in it instead of being lost.
  return open ? <PaletteBody /> : null;
}

function PaletteBody() {
  const [open, setOpen] = useAtom(paletteAtom);
  const infos = useAtomValue(nodeInfosAtom);
  const colors = useAtomValue(portColorsAtom);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const matches = useMemo(() => {
    const s = q.trim().toLowerCase();
    if (!s) return infos;
    // Title matches first, then type ids, then category/description mentions.
    const score = (i: (typeof infos)[number]) => {
      const t = i.title.toLowerCase();
      if (t.startsWith(s)) return 0;
      if (t.includes(s) || i.type.includes(s)) return 1;
      if (`${i.category} ${i.description}`.toLowerCase().includes(s)) return 2;
      return -1;
    };
    return infos
      .map((i) => ({ i, r: score(i) }))
      .filter((x) => x.r >= 0)
      .sort((a, b) => a.r - b.r)
      .map((x) => x.i);
  }, [infos, q]);

  if (!open) return null;

  const close = () => setOpen(undefined);
  const choose = (i: number) => {
    const info = matches[i];
    if (!info) return;
    close();
    addNode(info, open.at ? { x: open.at.x + 130, y: open.at.y + 40 } : undefined);
  };
  const onKey = (e: KeyboardEvent) => {
    trapTab(e);
    if (e.key === 'Escape') close();
    else if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(matches.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(active);
    }
  };
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="dialog palette" role="dialog" aria-modal="true" aria-label="Add node" onKeyDown={onKey}>
        <input
          autoFocus
          type="search"
          aria-label="Search node types"
          placeholder="Search nodes…  (↑↓ to pick, Enter to add)"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setActive(0);
          }}
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={matches[active] ? `palette-${matches[active]!.type}` : undefined}
        />
        <ul id="palette-list" role="listbox" aria-label="Node types">
          {matches.map((m, i) => (
            <li
              key={m.type}
              id={`palette-${m.type}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseEnter={() => setActive(i)}
              onClick={() => choose(i)}
            >
              <span className={`cat-dot cat-${m.category}`} aria-hidden="true" />
              <span className="opt-title">{m.title}</span>
              <span className="opt-ports" aria-hidden="true">
                {Object.values(m.inputs).map((p, k) => (
                  <i key={`i${k}`} style={{ background: colors[p.type] }} />
                ))}
                <b>→</b>
                {Object.values(m.outputs).map((p, k) => (
                  <i key={`o${k}`} style={{ background: colors[p.type] }} />
                ))}
              </span>
              <span className="opt-desc">{m.description}</span>
            </li>
          ))}
          {!matches.length && <li className="empty">No node matches “{q}”</li>}
        </ul>
      </div>
    </div>
  );
}
