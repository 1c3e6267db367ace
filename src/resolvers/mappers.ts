/**
 * Parent shapes for GraphQL types that are not canonical model objects as they stand (see codegen.yml
 * mappers). Kept small: most types resolve straight from the canonical model with default resolvers.
 */
import type { Backend, Operation, TimeWindow } from '../backends/backend.js';
import type { DerivationReport, GraphEdge, Sourced } from '../federation/index.js';
import type { BackendOutcome, Span, SpanEvent, TraceSummary } from '../model/index.js';

export interface EventParent {
  event: SpanEvent;
  span: Span;
}

export interface SummaryParent {
  summary: TraceSummary;
  /** The backends the search ran on; TraceSummary.trace loads from the same ones. */
  backends: readonly Backend[];
}

interface FederatedParent {
  backendStatus: BackendOutcome[];
}

export interface ServiceListParent extends FederatedParent {
  services: Array<Sourced<string>>;
}

export interface NameListParent extends FederatedParent {
  names: Array<Sourced<string>>;
}

export interface OperationListParent extends FederatedParent {
  operations: Array<Sourced<Operation>>;
}

export interface DependencyParent extends FederatedParent {
  edges: GraphEdge[];
  window: TimeWindow;
  derivation: DerivationReport | null;
}

export interface ConnectionParent extends FederatedParent {
  page: SummaryParent[];
  offset: number;
  totalCount: number;
}
