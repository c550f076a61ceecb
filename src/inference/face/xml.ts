/**
 * A tiny XML reader, just enough for OpenCV FileStorage files (cascades): elements, text, comments,
 * the `<?xml?>` prolog. Attributes are parsed but OpenCV only uses `type_id`; entities beyond the five
 * predefined ones and CDATA are not supported (OpenCV never writes them in cascades).
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text directly inside this element (not its children), untrimmed. */
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.indexOf('&') < 0 ? s : s.replace(/&(lt|gt|amp|quot|apos);/g, (_m, e: string) => ENTITIES[e]!);
}

/** Parse `src` and return the root element. Throws `Error` with a character offset on malformed input. */
export function parseXml(src: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) stack[stack.length - 1]!.text += decode(src.slice(i, textEnd));
    if (lt < 0) break;
    if (src.startsWith('<!--', lt)) {
      const end = src.indexOf('-->', lt + 4);
      if (end < 0) throw new Error(`unterminated comment at ${lt}`);
      i = end + 3;
    } else if (src.startsWith('<?', lt) || src.startsWith('<!', lt)) {
      const end = src.indexOf('>', lt);
      if (end < 0) throw new Error(`unterminated declaration at ${lt}`);
      i = end + 1;
    } else if (src[lt + 1] === '/') {
      const end = src.indexOf('>', lt);
      if (end < 0) throw new Error(`unterminated closing tag at ${lt}`);
      const name = src.slice(lt + 2, end).trim();
      const top = stack.pop();
      if (!top || top === root || top.name !== name) throw new Error(`unexpected </${name}> at ${lt}`);
      i = end + 1;
    } else {
      const end = src.indexOf('>', lt);
      if (end < 0) throw new Error(`unterminated tag at ${lt}`);
      const selfClosing = src[end - 1] === '/';
      const body = src.slice(lt + 1, selfClosing ? end - 1 : end);
      const m = /^([^\s/>]+)/.exec(body);
      if (!m) throw new Error(`bad tag at ${lt}`);
      const el: XmlElement = { name: m[1]!, attrs: {}, children: [], text: '' };
      for (const a of body.slice(m[1]!.length).matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
        el.attrs[a[1]!] = decode(a[3] ?? a[4] ?? '');
      }
      stack[stack.length - 1]!.children.push(el);
      if (!selfClosing) stack.push(el);
      i = end + 1;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  return root;
}

/** First child element called `name`, or undefined. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}
