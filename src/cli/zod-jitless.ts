/**
 * Imported first by the CLI, before any schema exists. zod compiles a fast parser (new
 * Function) for each object schema the first time it parses; a CLI process parses a graph
 * and each node's params about once, so compiling costs more than it saves (≈ 7 ms of a
 * cached re-run's ≈ 100). Results are the same either way.
 */
import { z } from 'zod';

z.config({ jitless: true });
