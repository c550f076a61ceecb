/**
 * A node declaration for an engine test that says only what the test is about (type, category,
 * ports, params, evaluate): version 1, the type as title, a "test" description, no inputs, no
 * params and a pure cache policy unless given.
 */
import { z } from 'zod';
import { defineNode, type NodeDef, type PortSpec } from '../../src/engine/index.js';

type Given = 'type' | 'category';
type Defaulted = 'version' | 'title' | 'description' | 'inputs' | 'params' | 'cache';

export function testNode<
  const I extends Record<string, PortSpec> = Record<never, PortSpec>,
  const O extends Record<string, PortSpec> = Record<string, PortSpec>,
  S extends z.ZodType = z.ZodObject<Record<never, z.ZodType>>,
>(
  type: string,
  category: NodeDef['category'],
  def: Omit<NodeDef<I, O, S>, Given | Defaulted> & Partial<Pick<NodeDef<I, O, S>, Defaulted>>,
): NodeDef<I, O, S> {
  const defaults = { version: 1, title: type, description: 'test', inputs: {} as I, params: z.object({}) as unknown as S, cache: 'pure' as const };
  return defineNode<I, O, S>({ ...defaults, type, category, ...def });
}
