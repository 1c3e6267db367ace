/**
 * GraphQL documents of the exactness tests: a trace with every field a span carries, so two answers
 * compared whole differ wherever the data differs. backendStatus leaves out latencyMs (it never repeats).
 */
export const EXACT_TRACE_FIELDS = /* GraphQL */ `
  fragment ExactTrace on Trace {
    traceId
    spanCount
    errorCount
    isComplete
    services
    warnings { code message spanId }
    sources { backend spanCount }
    backendStatus { backend kind state code reason cached }
    rootSpan { spanId }
    topLevelSpans { spanId }
    spans {
      traceId
      spanId
      parentSpanId
      isSharedServer
      name
      kind
      service
      resource { serviceName attributes { key type value } }
      startTimeUs
      durationUs
      isDurationKnown
      endTimeUs
      status { code message }
      attributes { key type value }
      events { name timeUs attributes { key type value } }
      links { traceId spanId refType attributes { key type value } }
      sources
      backend
      clockSkewAdjustmentUs
      warnings
    }
  }
`;

export const EXACT_TRACE = /* GraphQL */ `
  query ExactTraceById($id: ID!, $backends: [String!], $raw: Boolean) {
    trace(id: $id, backends: $backends, raw: $raw) { ...ExactTrace }
  }
  ${EXACT_TRACE_FIELDS}
`;

export const EXACT_TRACES = /* GraphQL */ `
  query ExactTraces($ids: [ID!]!) {
    traces(ids: $ids) { ...ExactTrace }
  }
  ${EXACT_TRACE_FIELDS}
`;

/** Two trace fields in one document: the DataLoader batches their ids into one backend call. */
export const TWO_TRACES = /* GraphQL */ `
  query TwoTraces($a: ID!, $b: ID!) {
    a: trace(id: $a) { ...ExactTrace }
    b: trace(id: $b) { ...ExactTrace }
  }
  ${EXACT_TRACE_FIELDS}
`;
