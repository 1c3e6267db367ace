/**
 * The redaction rules of a running gateway, compiled once from the `redaction` config (config.ts):
 * the key set and key patterns, the value rules, and the memos that keep redaction cheap on the hot
 * path. The gateway holds one (federation/gateway.ts) and hands it to every request with its fan-out
 * options; the trace loaders, searchTraces and the name lists apply it on the way out
 * (loaders/create-loaders.ts, federation/search.ts, federation/metadata.ts).
 *
 * Redaction happens after the cache and after the merge: the cache holds what backends answered, and
 * each answer is redacted by the rules of the gateway serving it, so new rules never meet an answer
 * redacted by old ones, and no rule change needs the cache emptied.
 */
import type { MergedTrace, TraceSummary } from '../model/index.js';
import type { RedactionConfig } from './config.js';
import { BUILTIN_RULES, customRule, type ValueRule } from './patterns.js';
import { type RedactionRules, redactTrace } from './redact.js';

/** Keys seen are remembered with their verdict (spans repeat a few dozen keys); past this many, no more are added. */
const MAX_REMEMBERED_KEYS = 10_000;

export class Redactor implements RedactionRules {
  readonly replacement: string;
  private readonly keys: ReadonlySet<string>;
  private readonly keyPatterns: readonly RegExp[];
  private readonly valueRules: readonly ValueRule[];
  private readonly maxScanChars: number;
  private readonly keyVerdicts = new Map<string, boolean>();
  /** Merged traces are shared and immutable (federation/merge-memo.ts): one redaction serves every request for one. */
  private readonly traces = new WeakMap<MergedTrace, MergedTrace>();

  /** Undefined when redaction is off: callers then skip it entirely. */
  static fromConfig(config: RedactionConfig): Redactor | undefined {
    return config.enabled ? new Redactor(config) : undefined;
  }

  constructor(config: RedactionConfig) {
    this.replacement = config.replacement;
    this.keys = new Set(config.keys.map((k) => k.toLowerCase()));
    this.keyPatterns = config.keyPatterns.map((p) => new RegExp(p, 'i'));
    this.valueRules = config.valuePatterns.map((p) => (typeof p === 'string' ? BUILTIN_RULES[p] : customRule(p.name, p.pattern, p.ignoreCase)));
    this.maxScanChars = config.maxScanChars;
  }

  isRedactedKey(key: string): boolean {
    let verdict = this.keyVerdicts.get(key);
    if (verdict === undefined) {
      verdict = this.keys.has(key.toLowerCase()) || this.matchesKeyPattern(key);
      if (this.keyVerdicts.size < MAX_REMEMBERED_KEYS) this.keyVerdicts.set(key, verdict);
    }
    return verdict;
  }

  private matchesKeyPattern(key: string): boolean {
    if (this.keyPatterns.length === 0) return false;
    // Too long to scan in bounded time (patterns.ts): treated as a secret's key.
    if (key.length > this.maxScanChars) return true;
    return this.keyPatterns.some((p) => p.test(key));
  }

  redactText(text: string): string {
    if (this.valueRules.length === 0 || text.length === 0) return text;
    if (text.length > this.maxScanChars) return this.replacement;
    let out = text;
    for (const rule of this.valueRules) out = rule.redact(out, this.replacement);
    return out;
  }

  /** The name of the first value rule that matches somewhere in `text`, or null. */
  matchingValueRule(text: string): string | null {
    if (this.valueRules.length > 0 && text.length > this.maxScanChars) return 'maxScanChars';
    for (const rule of this.valueRules) if (rule.redact(text, this.replacement) !== text) return rule.name;
    return null;
  }

  trace(trace: MergedTrace): MergedTrace {
    let redacted = this.traces.get(trace);
    if (redacted === undefined) this.traces.set(trace, (redacted = redactTrace(trace, this)));
    return redacted;
  }

  /** A search hit as a backend summarised it: its root operation is a span name. */
  summary(summary: TraceSummary): TraceSummary {
    if (summary.rootOperation === null) return summary;
    const rootOperation = this.redactText(summary.rootOperation);
    return rootOperation === summary.rootOperation ? summary : { ...summary, rootOperation };
  }
}
