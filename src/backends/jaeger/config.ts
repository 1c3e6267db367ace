/** The `jaeger` backend's config block: the HTTP options every HTTP backend has, plus which query API and how many ids per multi-get. */
import { z } from 'zod';
import { httpBackendConfigSchema } from '../factory.js';

export const jaegerConfigSchema = httpBackendConfigSchema.extend({
  kind: z.literal('jaeger'),
  api: z.enum(['auto', 'v3', 'v1']).default('auto').describe('Which query API to use: `v3`, `v1`, or `auto`, which probes the server once.'),
  batchSize: z
    .number()
    .int()
    .positive()
    .max(500)
    .default(100)
    .describe('Ids per v1 multi-get call; the request line must stay under common proxy limits.'),
});

export type JaegerConfig = z.infer<typeof jaegerConfigSchema>;
