/** The resolver map handed to Apollo: one entry per type that needs more than default resolvers. */
import type { Resolvers } from '../schema/generated.js';
import { AttributeValueScalar, DateTimeScalar, MicrosScalar } from '../schema/scalars.js';
import { queryResolvers } from './query.js';
import { eventResolvers, resourceResolvers, spanResolvers } from './span.js';
import {
  dependencyGraphResolvers,
  nameListResolvers,
  operationListResolvers,
  serviceListResolvers,
  traceConnectionResolvers,
  traceResolvers,
  traceSummaryResolvers,
} from './trace.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Micros: MicrosScalar,
  AttributeValue: AttributeValueScalar,
  Query: queryResolvers,
  Trace: traceResolvers,
  TraceSummary: traceSummaryResolvers,
  TraceConnection: traceConnectionResolvers,
  ServiceList: serviceListResolvers,
  OperationList: operationListResolvers,
  DependencyGraph: dependencyGraphResolvers,
  NameList: nameListResolvers,
  Span: spanResolvers,
  Resource: resourceResolvers,
  Event: eventResolvers,
};
