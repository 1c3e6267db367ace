/** The `memory` backend's config block: what to load at start-up (the demo dataset, trace files). */
import { z } from 'zod';
import { baseBackendConfigSchema } from '../factory.js';

export const memoryConfigSchema = baseBackendConfigSchema.extend({
  kind: z.literal('memory'),
  /** Load the built-in demo shop (src/demo/): ~300 traces over the hour before start-up. */
  demo: z.boolean().default(false),
  /** Seed of the demo data: the same seed gives the same trace ids and shapes. */
  demoSeed: z.number().int().default(42),
  /** Trace files to load at start-up: Jaeger JSON, Zipkin v2 JSON or OTLP/JSON (see import-file.ts). */
  files: z.array(z.string().min(1, 'a file path must not be empty')).default([]),
});

export type MemoryBackendConfig = z.infer<typeof memoryConfigSchema>;
