/**
 * Redaction of canonical spans and traces: pure functions of the data and the rules, no I/O.
 *
 * What a key rule hits (`keys`, `keyPatterns`) loses its whole value, whatever its type, and becomes
 * the replacement text (type STRING). Keys are matched at every level: an attribute's key, and inside
 * a MAP value both a nested key alone and its dotted path (`http.request.headers.authorization`).
 * What value rules hit loses the matched substrings only: STRING values and the string items of
 * ARRAY and MAP values, event names, the status message, the span name (URLs with tokens end up
 * there), and warnings, which may quote an odd value. INT, DOUBLE, BOOL and BYTES values are left to
 * key rules: an int64 kept as decimal text is a number, not text a pattern should read.
 *
 * Nothing is changed in place, and nothing is copied that does not change: a span no rule touches is
 * returned as is, and a changed span shares every list and attribute it did not need to change. The
 * merged traces this reads are shared between requests (federation/merge-memo.ts) and the backend
 * answers behind them live on in the cache, so copying is the only way to change what one answer shows.
 */
import type { Attribute, AttributeJson, MergedTrace, Span, SpanEvent, SpanLink, TraceWarning } from '../model/index.js';
import { mapTree } from './redacted-tree.js';

export interface RedactionRules {
  readonly replacement: string;
  /** Whether a key (or dotted key path) has its whole value replaced. */
  isRedactedKey(key: string): boolean;
  /** `text` with what value rules match replaced; `text` itself (the same string) when nothing matched. */
  redactText(text: string): string;
}

/** `list` mapped by `f`, or `list` itself when `f` returned every item unchanged (copied from the first change on). */
function mapList<T>(list: T[], f: (item: T) => T): T[] {
  let out: T[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i]!;
    const mapped = f(item);
    if (out === undefined && mapped !== item) out = list.slice(0, i);
    out?.push(mapped);
  }
  return out ?? list;
}

function redactJson(value: AttributeJson, path: string, rules: RedactionRules): AttributeJson {
  if (typeof value === 'string') return rules.redactText(value);
  if (value === null || typeof value !== 'object') return value;
  // Array items share their array's path: a list of maps is matched as if each were the attribute.
  if (Array.isArray(value)) return mapList(value, (item) => redactJson(item, path, rules));
  let out: { [key: string]: AttributeJson } | undefined;
  for (const key in value) {
    const item = value[key]!;
    const itemPath = `${path}.${key}`;
    const mapped = rules.isRedactedKey(key) || rules.isRedactedKey(itemPath) ? rules.replacement : redactJson(item, itemPath, rules);
    if (out === undefined && mapped !== item) out = { ...value };
    if (out !== undefined) out[key] = mapped;
  }
  return out ?? value;
}

export function redactAttribute(attribute: Attribute, rules: RedactionRules): Attribute {
  const { key, type, value } = attribute;
  if (rules.isRedactedKey(key))
    return type === 'STRING' && value === rules.replacement ? attribute : { key, type: 'STRING', value: rules.replacement };
  if (type === 'STRING' || type === 'ARRAY' || type === 'MAP') {
    const redacted = redactJson(value, key, rules);
    return redacted === value ? attribute : { key, type, value: redacted };
  }
  return attribute;
}

function redactAttributes(attributes: Attribute[], rules: RedactionRules): Attribute[] {
  return mapList(attributes, (a) => redactAttribute(a, rules));
}

function redactEvent(event: SpanEvent, rules: RedactionRules): SpanEvent {
  const name = rules.redactText(event.name);
  const attributes = redactAttributes(event.attributes, rules);
  return name === event.name && attributes === event.attributes ? event : { ...event, name, attributes };
}

function redactLink(link: SpanLink, rules: RedactionRules): SpanLink {
  const attributes = redactAttributes(link.attributes, rules);
  return attributes === link.attributes ? link : { ...link, attributes };
}

/** The span with its secrets replaced, or `span` itself when it holds none. */
export function redactSpan(span: Span, rules: RedactionRules): Span {
  const name = rules.redactText(span.name);
  const attributes = redactAttributes(span.attributes, rules);
  const resource = redactAttributes(span.resource, rules);
  const events = mapList(span.events, (e) => redactEvent(e, rules));
  const links = mapList(span.links, (l) => redactLink(l, rules));
  const message = span.status.message === null ? null : rules.redactText(span.status.message);
  const warnings = mapList(span.warnings, (w) => rules.redactText(w));
  if (
    name === span.name &&
    attributes === span.attributes &&
    resource === span.resource &&
    events === span.events &&
    links === span.links &&
    message === span.status.message &&
    warnings === span.warnings
  ) {
    return span;
  }
  const status = message === span.status.message ? span.status : { ...span.status, message };
  return { ...span, name, attributes, resource, events, links, status, warnings };
}

/**
 * The trace with every span redacted, or `trace` itself when nothing changed. The tree of a changed
 * trace answers for the new span objects (redacted-tree.ts): parents, children and roots stay exactly
 * what the merge built.
 */
export function redactTrace(trace: MergedTrace, rules: RedactionRules): MergedTrace {
  let changed: Map<Span, Span> | undefined;
  const spans = mapList(trace.spans, (span) => {
    const redacted = redactSpan(span, rules);
    if (redacted !== span) (changed ??= new Map()).set(span, redacted);
    return redacted;
  });
  const warnings = mapList(trace.warnings, (w): TraceWarning => {
    const message = rules.redactText(w.message);
    return message === w.message ? w : { ...w, message };
  });
  if (spans === trace.spans && warnings === trace.warnings) return trace;
  return { ...trace, spans, warnings, tree: changed === undefined ? trace.tree : mapTree(trace.tree, changed) };
}
