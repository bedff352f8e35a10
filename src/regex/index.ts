// The RE2 dialect of mtail programs: validation with re2, translation to V8
// RegExp, and the choice of engine per pattern (DESIGN.md decision 1).

export { checkRe2, re2Source, type Re2Check, type RegexInfo } from './re2-check.js';
export { inferCaptureTypes, type CapType } from './captype.js';
export { translateToV8, type Translation } from './translate.js';
export {
  compileMatcher, enableLinearFallback, GroupSelection, hasLinearFallback, LengthSwitch, LONG_SUBJECT, BACKTRACK_LIMIT,
  type CompiledMatcher, type Matcher,
} from './matcher.js';
export { requiredLiteral, requiredLiterals, requiredSuffix, sharedGates, MIN_PREFILTER_LENGTH } from './prefilter.js';
