import type { Page } from 'playwright-core';

/** Roles a user operates (buttons, fields, pickers); each needs a name a screen reader can say. */
const CONTROL_ROLES = new Set(['button', 'checkbox', 'combobox', 'textbox', 'searchbox', 'spinbutton', 'slider', 'listbox', 'radio', 'switch', 'menuitem', 'link', 'tab', 'DisclosureTriangle']);

export interface AxControl {
  role: string;
  name: string;
  focusable: boolean;
  disabled: boolean;
  html?: string;
}

/**
 * Every operable control in the page as Chromium's accessibility tree sees it (computed
 * names, the same ones a screen reader announces), via CDP `Accessibility.getFullAXTree`.
 */
export async function axControls(page: Page): Promise<AxControl[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('Accessibility.enable');
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: Array<{
        ignored: boolean;
        role?: { value: string };
        name?: { value: string };
        properties?: Array<{ name: string; value: { value: unknown } }>;
        backendDOMNodeId?: number;
      }>;
    };
    const out: AxControl[] = [];
    for (const n of nodes) {
      const role = n.role?.value ?? '';
      if (n.ignored || !CONTROL_ROLES.has(role)) continue;
      const prop = (k: string) => n.properties?.find((p) => p.name === k)?.value.value;
      const c: AxControl = { role, name: String(n.name?.value ?? '').trim(), focusable: prop('focusable') === true, disabled: prop('disabled') === true };
      if (!c.name && n.backendDOMNodeId) {
        // Say which element it is, so a failure points at the markup to fix.
        const { outerHTML } = (await cdp.send('DOM.getOuterHTML', { backendNodeId: n.backendDOMNodeId }).catch(() => ({ outerHTML: '?' }))) as { outerHTML: string };
        c.html = outerHTML.slice(0, 200);
      }
      out.push(c);
    }
    return out;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Controls with no accessible name, or that the keyboard cannot reach (enabled but not focusable). */
export async function a11yProblems(page: Page): Promise<{ unnamed: AxControl[]; unfocusable: AxControl[]; total: number }> {
  const all = await axControls(page);
  return {
    unnamed: all.filter((c) => !c.name),
    unfocusable: all.filter((c) => !c.disabled && !c.focusable),
    total: all.length,
  };
}
