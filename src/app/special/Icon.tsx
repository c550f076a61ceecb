/** Small player icons as SVG: glyphs such as ⏮ are missing from many system fonts and render as boxes. */
const PATHS = {
  play: 'M3 2l9 6-9 6z',
  pause: 'M3 2h3.5v12H3zM9.5 2H13v12H9.5z',
  rewind: 'M2 2h2v12H2zM14 2v12L5 8z',
} as const;

export function Icon({ name }: { name: keyof typeof PATHS }) {
  return (
    <svg className="icon-svg" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}
