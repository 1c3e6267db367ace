/** The `zipkin` backend's config block: the HTTP options every HTTP backend has, plus ids per traceMany call. */
import { z } from 'zod';
import { httpBackendConfigSchema } from '../factory.js';

export const zipkinConfigSchema = httpBackendConfigSchema.extend({
  kind: z.literal('zipkin'),
  batchSize: z.number().int().min(2).max(100).default(100).describe("Ids per `traceMany` call: Zipkin's request line is limited to 4 KiB."),
});

export type ZipkinConfig = z.infer<typeof zipkinConfigSchema>;
