/** The `memory` backend's config block: what to load at start-up (the demo dataset, trace files). */
import { z } from 'zod';
import { baseBackendConfigSchema } from '../factory.js';

export const memoryConfigSchema = baseBackendConfigSchema.extend({
  kind: z.literal('memory'),
  demo: z.boolean().default(false).describe('Load the built-in demo shop (`src/demo/`): ~300 traces over the hour before start-up.'),
  demoSeed: z.number().int().default(42).describe('Seed of the demo data: the same seed gives the same trace ids and shapes.'),
  /** Formats: see import-file.ts. */
  files: z
    .array(z.string().min(1, 'a file path must not be empty'))
    .default([])
    .describe('Trace files to load at start-up (Jaeger UI JSON, Zipkin v2 JSON or OTLP/JSON), relative to the working directory.'),
});

export type MemoryBackendConfig = z.infer<typeof memoryConfigSchema>;
