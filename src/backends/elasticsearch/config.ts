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
    /** One or more node URLs; a failed request moves on to the next node. */
    urls: z.array(z.url()).min(1, 'urls needs at least one Elasticsearch URL'),
    /** Whose documents the indices hold. */
    schema: z.enum(['jaeger', 'zipkin']),
    /** Jaeger `index_prefix` (default '', indices `jaeger-span-*`); Zipkin `ES_INDEX` (default 'zipkin', indices `zipkin*span-*`). */
    indexPrefix: z.string().regex(/^[^*,\s/\\]*$/, 'indexPrefix must not hold *, commas, slashes or spaces').optional(),
    /** Between year, month and day in index names: Jaeger `date_separator`, Zipkin `ES_DATE_SEPARATOR` ('' allowed). */
    dateSeparator: z.string().max(1).default('-'),
    /** Jaeger `rollover_frequency` of the span indices. */
    rollover: z.enum(['day', 'hour']).default('day'),
    /** Jaeger `use_aliases` (or rollover): read `<prefix>jaeger-span-read`, `-service-read`, `-dependencies-read`. */
    useReadAliases: z.boolean().default(false),
    /**
     * Like Jaeger's `max_span_age`: lookups by trace id, services and operations read only the indices
     * of the last this many hours. Absent: every index (as Zipkin does). Searches and dependencies
     * always read the indices of their own window.
     */
    maxSpanAgeHours: z.number().positive().optional(),
    /** Read span documents from this index pattern (comma-separated allowed) instead of the schema's names. */
    spanIndexPattern: z.string().min(1).optional(),
    /** Jaeger `tags_as_fields.dot_replacement`. */
    tagDotReplacement: z.string().min(1).default('@'),
    /** Basic auth. */
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    /** API key auth (the base64 `id:key`), instead of basic auth. */
    apiKey: z.string().min(1).optional(),
    headers: headersConfigSchema,
    tls: tlsConfigSchema,
    /** A trace with more spans is answered BACKEND_UNSUPPORTED instead of being held in memory. */
    maxSpansPerTrace: z.number().int().positive().default(1_000_000),
    /** Hits per search request; at most `index.max_result_window` (10,000 by default). */
    pageSize: z.number().int().positive().max(10_000).default(10_000),
    /** Elasticsearch's `index.max_terms_count`: trace-id terms per query. */
    maxTermsCount: z.number().int().min(3).default(65_536),
    /** Requests in flight at once for one call (chunks of a large getTraces). */
    maxConcurrency: z.number().int().positive().max(64).default(4),
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
