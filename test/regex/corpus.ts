// Shared inputs for the regex tests: patterns that must translate to V8, and
// lines chosen to hit every place where V8 and RE2 could disagree.

/** Lines: ASCII, \r, \n, tabs, \v, \f, NBSP, Kelvin sign, long s, accents, astral, U+2028, empty. */
export const LINES: readonly string[] = [
  '',
  'a',
  'abc',
  'ABC aBc',
  'hello world',
  '  leading and trailing  ',
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?a=1&b=%20 HTTP/1.0" 200 2326 "http://example.com/start.html" "Mozilla/5.0 (X11; Linux x86_64)"',
  '10.0.0.2 - - [01/Jan/2024:00:00:01 +0000] "POST /api/v1/items HTTP/2.0" 503 - "-" "curl/8.5.0"',
  'tab\tseparated\tvalues\t',
  'carriage\rreturn in the middle',
  'line\nbreak',
  'ends with newline\n',
  '\r\n',
  '\n',
  'vertical\vtab and form\ffeed',
  'nbsp\u00a0here and\u2003em space',
  'Kelvin \u212a sign, k and K',
  'long s \u017f, S and s',
  'café naïve façade',
  'ÀÉÎÕÜ àéîõü',
  'Ελληνικά ΑΒΓ αβγ ς',
  'Кириллица',
  '中文字符 日本語',
  'emoji 😀 astral 𝒳 gothic 𐍈',
  '😀',
  '😀😀x',
  'x😀',
  'a😀b',
  '\u2028line separator\u2029',
  'combining e\u0301 mark',
  'arabic digits ١٢٣ and 123',
  'fullwidth ＡＢＣ１２３',
  'mixed_word-chars.and:punct!?',
  'aaaaaaaaaaaaaaaaaaaab',
  'a{,3} a{1,2}',
  'a.b/c\\d',
  '\x00nul and del\x7f',
  'İstanbul ı dotless',
  'GET post Put DELETE get',
  'key=value; k2="v 2"; k3=',
  '{"json": [1, 2.5e3, -3, 0x1F]}',
  'ǅungla ǆ Ǆ titlecase',
  'ß ẞ SS ss',
  'µ Μ μ micro',
  '2024-01-15T10:20:30.123Z level=info msg="done" duration=12ms',
  'user@example.com, other.user+tag@sub.example.org',
  // astral characters where a repeat of whole UTF-16 units could stop inside a pair
  '😀😀:1 x😀 "a😀b" 😀',
  'ab😀',
  '😀 😀',
  '"😀"😀',
  'h😀st:80 x',
  'a😀b😀c x',
  '😀a😀 😀😀',
];

/** Patterns (RE2 syntax) that must be translated to V8, not sent to re2. */
export const V8_PATTERNS: readonly string[] = [
  // access-log and syslog style
  String.raw`^(?P<ip>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]+)\] "(?P<method>\S+) (?P<path>\S+) (?P<proto>\S+)" (?P<status>\d+) (?P<size>\d+|-)`,
  String.raw`^(\S+) .* "([^"]*)"$`,
  String.raw`"(?P<request>[^"]*)" (?P<code>\d{3}) (?P<bytes>\d+|-)`,
  String.raw`\[(\d{2})/(\w{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\]`,
  String.raw`(?P<ip>\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})`,
  String.raw`^(?P<date>\d{4}-\d{2}-\d{2})T(?P<time>[0-9:.]+)Z level=(?P<level>\w+) msg="(?P<msg>[^"]*)"`,
  String.raw`duration=(?P<ms>\d+)ms`,
  String.raw`(GET|POST|PUT|DELETE) (/\S*)`,
  String.raw`HTTP/(\d\.\d)`,
  String.raw`^(?P<key>\w+)=(?P<value>[^;]*)`,
  String.raw`(\w+)@([\w.]+)`,
  String.raw`[\w.+-]+@[\w-]+\.[\w.]+`,
  // dot, newline, anchors
  '.', '.*', '.+', '^.*$', '(.)(.)', '^.$', '^..$', 'a.b', '(?s).', '(?s)^.*$', '(?s:.)+', '(?-s:.)+',
  '^', '$', '^$', 'a$', '^a', 'c\\z', '\\Aa', 'newline$', 'line$', '^\\r\\n$',
  // Perl classes and their negations
  '\\d+', '\\D+', '\\s+', '\\S+', '\\w+', '\\W+', '[\\d\\s]+', '[^\\d\\s]+', '[\\W\\d]', '[^\\S]+',
  // POSIX classes
  '[[:alpha:]]+', '[[:^alpha:]]+', '[[:space:]]+', '[[:^space:]]+', '[[:punct:]]+', '[[:word:]]+',
  '[[:xdigit:]]+', '[[:cntrl:]]', '[[:print:]]+', '[[:graph:]]+', '[[:blank:]]+', '[[:upper:][:digit:]]+',
  // word boundaries
  '\\b\\w+\\b', '\\bk', 's\\b', '\\Bb', 'a\\B', '\\b', 'x\\b', '\\b.',
  // case folding
  '(?i)k', '(?i)s+', '(?i)get|post', '(?i)[a-z]+', '(?i)[^a-z]+', '(?i)\\w+', '(?i)\\W', '(?i)[[:upper:]]+',
  '(?i)[[:^lower:]]', '(?i:abc)', 'a(?i)bc', '(?i)a(?-i)bc', '(?i)é', '(?i)µ', '(?i)ß', '(?i)ǅ', '(?i)Σ',
  '(?i)[k-s]+', '(?i)[à-ÿ]+', '(?i)\\x{212A}',
  // Unicode classes
  '\\pL+', '\\PL+', '\\p{Greek}+', '\\P{Greek}', '\\p{^Greek}+', '\\pN+', '\\p{Lu}', '(?i)\\p{Lu}+', '\\p{Zs}',
  '[\\p{Han}\\p{Hiragana}]+', '\\p{Any}', '[^\\pL\\s]+', '\\p{Cyrillic}+', '\\pM',
  // escapes and literals
  '\\x{212A}', '\\x{1F600}', '\\x41\\x{62}', '\\101', '\\0', '\\t', '\\v', '\\f', '\\a',
  '\\Qa.b+c\\E', '\\Qa{,3}', 'a{,3}', 'a{1,2}', '[😀-😂]', '😀+', '[^😀]+', '[a😀]+', '\\x{10000}-\\x{10FFFF}',
  '[\\x{10000}-\\x{10FFFF}]+', '[\\x00-\\x{10FFFF}]+', '[^\\x00-\\x{FFFF}]', '\\x{D800}|a',
  // classes: edge syntax
  '[]a]+', '[^]a]+', '[a-]+', '[-a]', '[a-b-c]+', '[--/]+', '[[]', '[\\[\\]]', '[.]', '[$^]',
  // repetition, greediness, (?U)
  'a+?', 'a*?b', 'a{2}', 'a{2,}', 'a{2,3}', 'a{2,3}?', '(?U)a+', '(?U)a+?', '(?U)(a+)(a*)', '(a|ab)(c|bcd)(d*)',
  '(a+|b+)*c', '(\\w+\\s?)+$', '(?:ab)+', '(a)(b)?(c)?', '(a)|(b)', '()', '(a*)', '(a*)b', '(x){0}y',
  '(?:(\\d+)\\.)+', 'x*', 'x?', '(a*){2}',
  // alternation and empties
  'a|', '|a', 'a||b', '(?:)', '(|a)', 'abc|abd|ab',
  // anchored repeats emitted as repeats of UTF-16 units (units.ts), and their near misses
  '^(\\S+) (\\S+)$', '^(\\S+)(\\S)$', '^(\\S*)(.)', '^([^"]*)"(.*)$', '^(?:(\\S+):)?(\\S+) x', '^(?:([^\\s:]+):\\d+ )?(\\S+)',
  '^(.*)😀', '^(.*)😀(.+)$', '^(\\S*)\\b(\\w*)', '^(\\S+)\\B(.*)$', '^(\\S+?)(\\S*)$', '^(\\S{2,})(.)$', '^((?:\\S+ )+)(\\S+)$',
  '^(?:a|(\\S+))(\\S)', '^(\\S+)|(\\S+)x$', '^(\\S+)(😀|x)', '^(\\S+)(?:😀)?(\\S)', '^([^a]+)([^b]+)$', '^(.+)(.+)$', '^(\\S+)$', '(\\S+)(\\S)',
];

/** Patterns that RE2 accepts but that must run on re2, with the reason's keyword. */
export const RE2_PATTERNS: readonly { pattern: string; because: string }[] = [
  { pattern: '(?m)^a', because: '(?m)' },
  { pattern: '(?m)line$', because: '(?m)' },
  { pattern: '(a*)*', because: 'empty string' },
  { pattern: '(?:|a)*', because: 'empty string' },
  { pattern: '(a*)?', because: 'empty string' },
  { pattern: '(a|)+', because: 'empty string' },
  { pattern: '(?:(a)|b)+', because: 'may not participate' },
  { pattern: '(?:a|(b))*', because: 'may not participate' },
  { pattern: '((a)|b){2}', because: 'may not participate' },
  { pattern: '\\B', because: '\\B' },
  { pattern: 'x*\\B', because: '\\B' },
  { pattern: '[0-9a-f]{32}', because: 'linear-time' },
  { pattern: '(a+){1,10}$', because: 'linear-time' },
];
