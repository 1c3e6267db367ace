/**
 * The `elasticsearch` backend's config block: the nodes, whose documents the indices hold (`schema`),
 * the index layout the collectors were configured with (each option named after its Jaeger or Zipkin
 * setting), auth, TLS and the limits that keep a search exact or refuse it.
 */
import { z } from 'zod';
import { baseBackendConfigSchema, headersConfigSchema, tlsConfigSchema } from '../factory.js';

export const elasticsearchConfigSchema = baseBackendConfigSchema
  .extend({
    kind: z.literal('elasticsearch'),
    urls: z
      .array(z.url())
      .min(1, 'urls needs at least one Elasticsearch URL')
      .describe('One or more node URLs; a failed request moves on to the next node.'),
    schema: z.enum(['jaeger', 'zipkin']).describe("Whose documents the indices hold: Jaeger's or Zipkin's collector wrote them."),
    indexPrefix: z
      .string()
      .regex(/^[^*,\s/\\]*$/, 'indexPrefix must not hold *, commas, slashes or spaces')
      .optional()
      .describe('Jaeger `index_prefix` (unset: none, indices `jaeger-span-*`) or Zipkin `ES_INDEX` (unset: `zipkin`, indices `zipkin*span-*`).'),
    dateSeparator: z
      .string()
      .max(1)
      .default('-')
      .describe('Between year, month and day in index names: Jaeger `date_separator`, Zipkin `ES_DATE_SEPARATOR` (`""` allowed).'),
    rollover: z.enum(['day', 'hour']).default('day').describe('Jaeger `rollover_frequency` of the span indices (Zipkin rotates daily).'),
    useReadAliases: z
      .boolean()
      .default(false)
      .describe('Jaeger `use_aliases` (or rollover): read `<prefix>jaeger-span-read`, `-service-read`, `-dependencies-read`.'),
    maxSpanAgeHours: z
      .number()
      .positive()
      .optional()
      .describe(
        "Like Jaeger's `max_span_age`: lookups by trace id, services and operations read only the indices of the last this many hours. Unset: every index (as Zipkin does). Searches and dependencies always read the indices of their own window.",
      ),
    spanIndexPattern: z
      .string()
      .min(1)
      .optional()
      .describe("Read span documents from this index pattern (comma-separated allowed) instead of the schema's names."),
    tagDotReplacement: z
      .string()
      .min(1)
      .default('@')
      .describe('Jaeger `tags_as_fields.dot_replacement`: what stands for `.` in tag keys stored as fields (`tag.http@method`).'),
    username: z.string().min(1).optional().describe('Basic auth user.'),
    password: z.string().optional().describe('Basic auth password; needs `username`.'),
    apiKey: z.string().min(1).optional().describe('API key auth (the base64 `id:key`), instead of basic auth.'),
    headers: headersConfigSchema,
    tls: tlsConfigSchema,
    maxSpansPerTrace: z
      .number()
      .int()
      .positive()
      .default(1_000_000)
      .describe('A trace with more spans is answered `BACKEND_UNSUPPORTED` instead of being held in memory.'),
    pageSize: z
      .number()
      .int()
      .positive()
      .max(10_000)
      .default(10_000)
      .describe('Hits per search request, at most `index.max_result_window` (10,000 by default); longer traces are paged with `search_after`.'),
    maxTermsCount: z.number().int().min(3).default(65_536).describe("Elasticsearch's `index.max_terms_count`: trace-id terms per query."),
    maxConcurrency: z
      .number()
      .int()
      .positive()
      .max(64)
      .default(4)
      .describe('Requests in flight at once for one call (chunks of a large lookup by id).'),
  })
  .superRefine((config, ctx) => {
    if (config.apiKey !== undefined && (config.username !== undefined || config.password !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'use either apiKey or username/password, not both' });
    }
    if (config.password !== undefined && config.username === undefined) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'password needs a username' });
    }
    if (config.schema === 'zipkin' && config.useReadAliases) {
      ctx.addIssue({ code: 'custom', path: ['useReadAliases'], message: 'read aliases exist only in the jaeger schema' });
    }
    if (config.schema === 'zipkin' && config.rollover !== 'day') {
      ctx.addIssue({ code: 'custom', path: ['rollover'], message: 'zipkin rotates its indices daily' });
    }
  });

export type ElasticsearchConfig = z.infer<typeof elasticsearchConfigSchema>;
