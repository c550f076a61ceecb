/**
 * A node declaration for an engine test that says only what the test is about (type, category,
 * ports, params, cache policy, evaluate): version 1, the type as title, a "test" description, no
 * inputs and no params unless given.
 */
import { z } from 'zod';
import { defineNode, type NodeDef, type PortSpec } from '../../src/engine/index.js';

type Defaulted = 'version' | 'title' | 'description' | 'inputs' | 'params';

export function testNode<
  const I extends Record<string, PortSpec> = Record<never, PortSpec>,
  const O extends Record<string, PortSpec> = Record<string, PortSpec>,
  S extends z.ZodType = z.ZodObject<Record<never, z.ZodType>>,
>(def: Omit<NodeDef<I, O, S>, Defaulted> & Partial<Pick<NodeDef<I, O, S>, Defaulted>>): NodeDef<I, O, S> {
  return defineNode<I, O, S>({ version: 1, title: def.type, description: 'test', inputs: {} as I, params: z.object({}) as unknown as S, ...def });
}
