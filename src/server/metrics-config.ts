/** The `metrics` config block (README, "Operating Tracegate" → "Metrics"). */
import { z } from 'zod';

export const metricsConfigSchema = z
  .strictObject({
    maxOperationNames: z
      .number()
      .int()
      .nonnegative()
      .default(100)
      .describe(
        'Without `operationNames`: the first this many distinct GraphQL operation names seen get a metrics label of their own; later ones are counted as `other`.',
      ),
    operationNames: z
      .array(z.string().regex(/^[_A-Za-z][_0-9A-Za-z]*$/, 'a GraphQL operation name'))
      .nullable()
      .default(null)
      .describe(
        'The GraphQL operation names that get a metrics label of their own, all others counted as `other`; `null`: the first `maxOperationNames` seen.',
      ),
  })
  .default({ maxOperationNames: 100, operationNames: null });

export type MetricsConfig = z.infer<typeof metricsConfigSchema>;
