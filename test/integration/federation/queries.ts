/** GraphQL documents the federation integration tests send, as a portal would. */
export const TRACE_QUERY = /* GraphQL */ `
  query Trace($id: ID!, $backends: [String!], $raw: Boolean) {
    trace(id: $id, backends: $backends, raw: $raw) {
      traceId
      spanCount
      isComplete
      services
      warnings { code message spanId }
      sources { backend spanCount }
      backendStatus { backend state code reason latencyMs }
      rootSpan { spanId }
      topLevelSpans { spanId }
      spans {
        spanId
        parentSpanId
        isSharedServer
        name
        kind
        service
        startTimeUs
        durationUs
        status { code message }
        attributes { key value }
        events { name timeUs }
        links { traceId spanId }
        sources
        backend
        clockSkewAdjustmentUs
      }
    }
  }
`;

export const SEARCH_QUERY = /* GraphQL */ `
  query Search($query: TraceQueryInput!, $first: Int) {
    searchTraces(query: $query, first: $first) {
      edges { node { traceId spanCount services sources errorCount rootService rootOperation startTimeUs durationUs } }
      backendStatus { backend state code }
    }
  }
`;

export const SERVICES_QUERY = /* GraphQL */ `
  query Services {
    services { services { name sources } backendStatus { backend state code } }
  }
`;
