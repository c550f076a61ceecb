/**
 * Our ComfyUI workflow templates (models/<id>/workflow.api.json): an API-format prompt whose
 * values may be placeholders, plus for Wan an "extend" block repeated once per Extend step.
 *
 *   "{{name}}"      replaced by the typed value (string, number) of that name
 *   "{{previous}}"  inside the extend block: the latent it continues (base clip, then each block)
 *   "{{lastLatent}}" after the block: the latent of the whole clip
 *   "E:"            id prefix of the block's nodes; copy k gets "ext<k>:" (like ComfyUI's flattened subgraph ids)
 *   "{{extendSeed}}" seed of copy k: seed + k, so every chunk is reproducible from one seed
 */
import { createHash } from 'node:crypto';
import { S2VError, canonicalJson, readSmallText } from '../../engine/index.js';
import type { ApiPrompt } from './api.js';

export interface WorkflowTemplate {
  prompt: ApiPrompt;
  extend?: { block: ApiPrompt; from: [string, number]; output: [string, number] };
}

export interface WorkflowValues {
  [name: string]: string | number;
}

export async function loadWorkflow(file: string): Promise<{ template: WorkflowTemplate; hash: string }> {
  const text = readSmallText(file);
  if (text === undefined) throw new S2VError('E111', 'workflow template missing', { where: file, exitCode: 1 });
  let template: WorkflowTemplate;
  try {
    template = JSON.parse(text) as WorkflowTemplate;
  } catch (e) {
    throw new S2VError('E111', `workflow template is not valid JSON (${(e as Error).message.split('\n')[0]})`, { where: file, exitCode: 1 });
  }
  if (!template.prompt || typeof template.prompt !== 'object') throw new S2VError('E111', 'workflow template has no "prompt"', { where: file, exitCode: 1 });
  return { template, hash: createHash('sha256').update(canonicalJson(template)).digest('hex') };
}

/** Every class the template can use (the extend block included). */
export function workflowClasses(t: WorkflowTemplate): string[] {
  const all = [...Object.values(t.prompt), ...Object.values(t.extend?.block ?? {})].map((n) => n.class_type);
  return [...new Set(all)].sort();
}

function substitute(value: unknown, values: WorkflowValues, links: Record<string, [string, number]>, where: string): unknown {
  if (typeof value === 'string') {
    const m = /^\{\{(\w+)\}\}$/.exec(value);
    if (!m) return value;
    const name = m[1]!;
    if (name in links) return links[name];
    if (values[name] === undefined) throw new S2VError('E120', `workflow template needs a value for {{${name}}}`, { where, exitCode: 1 });
    return values[name];
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, values, links, where));
  return value;
}

function fillNodes(nodes: ApiPrompt, values: WorkflowValues, links: Record<string, [string, number]>, rename: (id: string) => string, where: string): ApiPrompt {
  const out: ApiPrompt = {};
  for (const [id, node] of Object.entries(nodes)) {
    const inputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node.inputs)) {
      const filled = substitute(v, values, links, where);
      // A link [id, slot] inside the block points at the same copy of the block.
      inputs[k] = Array.isArray(filled) && typeof filled[0] === 'string' && filled.length === 2 ? [rename(filled[0]), filled[1]] : filled;
    }
    out[rename(id)] = { class_type: node.class_type, inputs, ...(node._meta ? { _meta: node._meta } : {}) };
  }
  return out;
}

/** The API-format prompt for one request. */
export function buildPrompt(t: WorkflowTemplate, values: WorkflowValues, extendSteps = 0, where = 'workflow'): ApiPrompt {
  if (extendSteps > 0 && !t.extend) throw new S2VError('E120', 'this workflow cannot extend a clip', { where, exitCode: 1 });
  let latent: [string, number] | undefined = t.extend?.from;
  const blocks: ApiPrompt = {};
  for (let k = 1; k <= extendSteps; k++) {
    const rename = (id: string) => (id.startsWith('E:') ? `ext${k}:${id.slice(2)}` : id);
    const seed = Number(values.seed ?? 0) + k;
    Object.assign(blocks, fillNodes(t.extend!.block, { ...values, extendSeed: seed }, { previous: latent! }, rename, where));
    latent = [rename(t.extend!.output[0]), t.extend!.output[1]];
  }
  const main = fillNodes(t.prompt, values, latent ? { lastLatent: latent } : {}, (id) => id, where);
  return { ...main, ...blocks };
}
