/**
 * The parts of Elasticsearch's responses this backend reads: Elasticsearch 8 REST API `_search` (hits,
 * sort values, `pit_id`, aggregations), `_pit` and `_cluster/health`. Only the fields read are typed;
 * client.ts checks their shape at run time. The documents inside the hits are the formats'
 * (../../formats/es-jaeger/wire.ts, ../../formats/es-zipkin/wire.ts).
 */

export interface EsHit<T> {
  /** Absent from searchAll's answers, which ask only for `_source` and `sort` (client.ts HIT_FIELDS). */
  _index?: string;
  _id?: string;
  _source: T;
  /** Sort values, present when the request sorted: fed back as `search_after`. */
  sort?: unknown[];
}

export interface EsShards {
  total: number;
  successful: number;
  skipped?: number;
  failed: number;
  failures?: Array<{ index?: string; reason?: { type?: string; reason?: string } }>;
}

export interface EsSearchResponse<T> {
  /** Absent from searchAll's answers (client.ts HIT_FIELDS). */
  took?: number;
  timed_out: boolean;
  _shards: EsShards;
  hits: { hits: Array<EsHit<T>> };
  aggregations?: Record<string, unknown>;
  /** Point-in-time searches: the id to use next (it may change between pages). */
  pit_id?: string;
}

export interface EsTermsBucket {
  key: string | number;
  doc_count: number;
  [subAggregation: string]: unknown;
}

export interface EsCompositeBucket {
  key: Record<string, string | number | null>;
  doc_count: number;
  [subAggregation: string]: unknown;
}

export interface EsClusterHealth {
  cluster_name: string;
  status: 'green' | 'yellow' | 'red';
  number_of_nodes?: number;
}
