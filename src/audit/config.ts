/** The `audit` config block (README, "Access control" → "Audit log"). */
import { z } from 'zod';

export const auditConfigSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe('Write one audit line per API request (GraphQL, Jaeger, Zipkin); health and metrics probes are not audited.'),
    sink: z
      .enum(['stdout', 'file'])
      .default('stdout')
      .describe('Where audit lines go: `stdout` (beside the service log, told apart by `"audit":true`) or `file` (`audit.file`).'),
    file: z.string().min(1).optional().describe('Path of the audit file when `sink` is `file` (created with its folder; appended to).'),
    maxTraceIds: z
      .number()
      .int()
      .nonnegative()
      .default(100)
      .describe('Most trace ids one audit line lists (`traceIds`); the total is always in `traceIdCount`.'),
  })
  .refine((c) => c.sink !== 'file' || c.file !== undefined, { message: "audit.file is required when audit.sink is 'file'", path: ['file'] })
  .default({ enabled: false, sink: 'stdout', maxTraceIds: 100 });

export type AuditConfig = z.infer<typeof auditConfigSchema>;
