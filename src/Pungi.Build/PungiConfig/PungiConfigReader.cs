using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.PungiConfig;

/// <summary>
/// Reads a Pungi configuration: kobo's <c>PyConfigParser</c> language (<c>name = value</c> assignments of Python
/// literals, references to earlier names, <c>"..." % values</c> formatting, <c>from X import *|a, b</c> relative to
/// the file, <c>global</c>) or, for a <c>.json</c> file, the JSON form Pungi also loads. kobo has no <c>include</c>
/// statement; neither does this reader.
/// Where kobo and Python read the same text differently, this reader follows kobo for structure (commas between
/// items are optional, <c>(x)</c> is a tuple) and Python for string literals (escapes, triple quotes, adjacent
/// literals joined), and warns (PUNGI1223) at every place where the two differ.
/// </summary>
public static class PungiConfigReader
{
    private static readonly HashSet<string> PythonKeywords = new(StringComparer.Ordinal)
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    };

    /// <summary>Reads a config file (and what it imports). Throws <see cref="PungiException"/> (PUNGI1201-1211).</summary>
    public static PungiConfigFile ReadFile(string path)
    {
        var full = Path.GetFullPath(path);
        var warnings = new List<ConfigDiagnostic>();
        var options = full.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? ReadJson(full, Load(full, null))
            : new Parser(full, Load(full, null), warnings, [full], new Dictionary<string, ConfigOption>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal)).ParseAll();
        return new PungiConfigFile(full, options.Values.ToList(), warnings);
    }

    /// <summary>Reads config text as if it were the file <paramref name="fileName"/> (imports resolve beside it).</summary>
    public static PungiConfigFile ReadText(string text, string fileName = "pungi.conf")
    {
        var full = Path.GetFullPath(fileName);
        var warnings = new List<ConfigDiagnostic>();
        if (text.Length > ConfigLimits.MaxFileBytes)
            throw new PungiException(ErrorCodes.ConfigUnreadable, $"the config is larger than {ConfigLimits.MaxFileBytes} bytes", full);
        var options = full.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? ReadJson(full, text)
            : new Parser(full, text, warnings, [full], new Dictionary<string, ConfigOption>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal)).ParseAll();
        return new PungiConfigFile(full, options.Values.ToList(), warnings);
    }

    private static string Load(string full, SourcePos? from)
    {
        try
        {
            var info = new FileInfo(full);
            if (!info.Exists)
                throw new PungiException(from is null ? ErrorCodes.ConfigUnreadable : ErrorCodes.ConfigImportFailed,
                    $"config file '{full}' does not exist", from?.File ?? full, from?.Line ?? 0, from?.Column ?? 0);
            if (info.Length > ConfigLimits.MaxFileBytes)
                throw new PungiException(ErrorCodes.ConfigUnreadable, $"config file is larger than {ConfigLimits.MaxFileBytes} bytes", full);
            return File.ReadAllText(full);
        }
        catch (IOException e)
        {
            throw new PungiException(ErrorCodes.ConfigUnreadable, $"cannot read config file: {e.Message}", full, inner: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PungiException(ErrorCodes.ConfigUnreadable, $"cannot read config file: {e.Message}", full, inner: e);
        }
    }

    private sealed class Parser
    {
        private readonly string _file;
        private readonly ConfigLexer _lexer;
        private readonly List<ConfigDiagnostic> _warnings;
        private readonly List<string> _importStack;
        private readonly Dictionary<string, ConfigOption> _vars;
        private readonly HashSet<string> _globals;
        private Token _tok;
        private Token? _pushed;
        private readonly Stack<(SourcePos Pos, string Bracket)> _open = new();
        private long _nodes; // values built, counting referenced values in full: [a, a] twice per level would double

        public Parser(string file, string text, List<ConfigDiagnostic> warnings, List<string> importStack, Dictionary<string, ConfigOption> vars, HashSet<string> globals)
        {
            _globals = globals;
            _file = file;
            _lexer = new ConfigLexer(text, file);
            _warnings = warnings;
            _importStack = importStack;
            _vars = vars;
        }

        private static PungiException Err(string code, string message, SourcePos p) => new(code, message, p.File, p.Line, p.Column);

        private void Advance(bool skipNewlines = true)
        {
            do
            {
                if (_pushed is { } p) { _tok = p; _pushed = null; }
                else _tok = _lexer.Next();
            }
            while (skipNewlines && _tok.Kind == TokenKind.Newline);
        }

        private Token PeekToken()
        {
            if (_pushed is { } p) return p;
            // line ends are kept: a string on the next line at the top level is a new statement, not a continuation
            var t = _lexer.Next();
            _pushed = t;
            return t;
        }

        private bool IsOp(string op) => _tok.Kind == TokenKind.Op && _tok.Text == op;

        private string Describe(Token t) => t.Kind switch
        {
            TokenKind.End => "end of file",
            TokenKind.Newline => "end of line",
            TokenKind.String => "a string",
            _ => $"'{t.Text}'",
        };

        public Dictionary<string, ConfigOption> ParseAll()
        {
            while (true)
            {
                Advance();
                if (_tok.Kind == TokenKind.End) return _vars;
                if (_tok.Kind == TokenKind.Name && _tok.Text == "from") { ParseImport(); continue; }
                bool isGlobal = false;
                if (_tok.Kind == TokenKind.Name && _tok.Text == "global") { isGlobal = true; Advance(); }
                if (_tok.Kind != TokenKind.Name)
                    throw Err(ErrorCodes.ConfigSyntax, $"expected an option name, found {Describe(_tok)}", _tok.Pos);
                if (PythonKeywords.Contains(_tok.Text))
                    throw Err(ErrorCodes.ConfigBadAssignment, $"cannot assign to the Python keyword '{_tok.Text}'", _tok.Pos);
                if (_tok.Text.StartsWith('_'))
                    throw Err(ErrorCodes.ConfigBadAssignment, $"kobo refuses names starting with '_' ('{_tok.Text}')", _tok.Pos);
                var name = _tok;
                PyValue value;
                if (isGlobal) value = new PyNone(name.Pos); // kobo: `global x` declares x with the value None
                else
                {
                    Advance();
                    if (!IsOp("="))
                        throw Err(ErrorCodes.ConfigSyntax, $"expected '=' after '{name.Text}', found {Describe(_tok)}", _tok.Pos);
                    Advance();
                    value = ParseValue(0, basicOnly: false);
                }
                if (isGlobal) _globals.Add(name.Text);
                _vars[name.Text] = new ConfigOption(name.Text, value, name.Pos);
            }
        }

        /// <summary><c>from a.b import *</c> or <c>from a import x, y</c>: reads <c>a.b.conf</c> beside this file (kobo joins the tokens).</summary>
        private void ParseImport()
        {
            var fromPos = _tok.Pos;
            var module = new StringBuilder();
            while (true)
            {
                Advance(skipNewlines: false);
                if (_tok.Kind is TokenKind.End or TokenKind.Newline)
                    throw Err(ErrorCodes.ConfigSyntax, "expected 'import' in 'from ... import'", _tok.Pos);
                if (_tok.Kind == TokenKind.Name && _tok.Text == "import") break;
                if (_tok.Kind is not (TokenKind.Name or TokenKind.Op) || (_tok.Kind == TokenKind.Op && _tok.Text != "."))
                    throw Err(ErrorCodes.ConfigSyntax, $"unexpected {Describe(_tok)} in a 'from' module name", _tok.Pos);
                module.Append(_tok.Text);
            }
            if (module.Length == 0) throw Err(ErrorCodes.ConfigSyntax, "'from' needs a file name", fromPos);
            var names = new List<Token>();
            Advance(skipNewlines: false);
            while (_tok.Kind is not (TokenKind.Newline or TokenKind.End))
            {
                if (_tok.Kind == TokenKind.Name || IsOp("*")) names.Add(_tok);
                else if (!IsOp(",")) throw Err(ErrorCodes.ConfigSyntax, $"expected a name or '*' after 'import', found {Describe(_tok)}", _tok.Pos);
                Advance(skipNewlines: false);
            }
            if (names.Count == 0) throw Err(ErrorCodes.ConfigSyntax, "'import' needs '*' or names", fromPos);

            var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(_file)!, module + ".conf"));
            if (_importStack.Contains(target, StringComparer.Ordinal))
                throw Err(ErrorCodes.ConfigImportFailed, $"import cycle: {string.Join(" -> ", _importStack.Select(Path.GetFileName))} -> {Path.GetFileName(target)}", fromPos);
            if (_importStack.Count >= ConfigLimits.MaxImportDepth)
                throw Err(ErrorCodes.ConfigImportFailed, $"imports nested deeper than {ConfigLimits.MaxImportDepth}", fromPos);
            var text = Load(target, fromPos);
            // the imported file sees only the importer's names declared 'global' (as kobo passes them down)
            var imported = new Dictionary<string, ConfigOption>(StringComparer.Ordinal);
            foreach (var g in _globals) if (_vars.TryGetValue(g, out var gv)) imported[g] = gv;
            new Parser(target, text, _warnings, [.. _importStack, target], imported, _globals).ParseAll();
            if (names.Any(n => n.Text == "*"))
            {
                foreach (var kv in imported) _vars[kv.Key] = kv.Value;
                return;
            }
            foreach (var n in names)
            {
                if (!imported.TryGetValue(n.Text, out var opt))
                    throw Err(ErrorCodes.ConfigImportFailed, $"'{Path.GetFileName(target)}' does not define '{n.Text}'", n.Pos);
                _vars[n.Text] = opt;
            }
        }

        /// <summary>A value starting at the current token (kobo's <c>_get_value</c>); leaves the current token on its last token.</summary>
        private PyValue ParseValue(int depth, bool basicOnly)
        {
            if (depth > ConfigLimits.MaxDepth)
                throw Err(ErrorCodes.ConfigTooDeep, $"values nested deeper than {ConfigLimits.MaxDepth} levels", _tok.Pos);
            var pos = _tok.Pos;
            if (++_nodes > ConfigLimits.MaxValues)
                throw Err(ErrorCodes.ConfigTooLarge, $"the config builds more than {ConfigLimits.MaxValues} values", pos);
            switch (_tok.Kind)
            {
                case TokenKind.String:
                    return ParseString(depth);
                case TokenKind.Number:
                    return ParseNumber(_tok, negative: false);
                case TokenKind.Name:
                    return _tok.Text switch
                    {
                        "True" => new PyBool(true, pos),
                        "False" => new PyBool(false, pos),
                        "None" => new PyNone(pos),
                        // a reference keeps the referenced value (its position stays at the definition, where to fix it)
                        _ => _vars.TryGetValue(_tok.Text, out var v)
                            ? Counted(v.Value, pos)
                            : _open.Count > 0 && PeekToken() is { Kind: TokenKind.Op, Text: "=" }
                            ? throw Err(ErrorCodes.ConfigSyntax, $"'{_open.Peek().Bracket}' is never closed (line {pos.Line} starts the assignment '{_tok.Text} = ...')", _open.Peek().Pos)
                            : throw Err(ErrorCodes.ConfigUndefinedName, $"'{_tok.Text}' is not defined before this line (quote it if it is a string)", pos),
                    };
                case TokenKind.Op when _tok.Text == "-":
                    Advance();
                    if (_tok.Kind != TokenKind.Number) throw Err(ErrorCodes.ConfigSyntax, $"expected a number after '-', found {Describe(_tok)}", _tok.Pos);
                    return ParseNumber(_tok, negative: true);
                case TokenKind.Op when !basicOnly && _tok.Text is "[" or "(":
                    return ParseSequence(depth, _tok.Text == "(" ? ")" : "]", pos);
                case TokenKind.Op when !basicOnly && _tok.Text == "{":
                    return ParseDict(depth, pos);
            }
            throw Err(ErrorCodes.ConfigSyntax, basicOnly
                ? $"a dict key must be a string, number, True, False or None; found {Describe(_tok)}"
                : $"expected a value, found {Describe(_tok)}", pos);
        }

        /// <summary>A reference shares the value; count its nodes so that nested references cannot grow exponentially.</summary>
        private PyValue Counted(PyValue v, SourcePos pos)
        {
            var stack = new Stack<PyValue>();
            stack.Push(v);
            while (stack.Count > 0)
            {
                if (++_nodes > ConfigLimits.MaxValues)
                    throw Err(ErrorCodes.ConfigTooLarge, $"the config builds more than {ConfigLimits.MaxValues} values (through references)", pos);
                switch (stack.Pop())
                {
                    case PyList l: foreach (var x in l.Items) stack.Push(x); break;
                    case PyDict d: foreach (var e in d.Entries) { stack.Push(e.Key); stack.Push(e.Value); } break;
                }
            }
            return v;
        }

        private PyValue ParseString(int depth)
        {
            var first = _tok;
            var sb = new StringBuilder(first.Text);
            if (first.KoboText is not null)
                Warn(first.Pos, $"kobo reads this string without escape processing, as '{Clip(first.KoboText)}' (Python: '{Clip(first.Text)}'); the Python reading is used");
            // adjacent literals: Python joins them, kobo reads separate values
            while (PeekToken().Kind == TokenKind.String)
            {
                Advance();
                if (_tok.KoboText is not null)
                    Warn(_tok.Pos, $"kobo reads this string without escape processing, as '{Clip(_tok.KoboText)}'; the Python reading is used");
                Warn(_tok.Pos, "adjacent string literals: Python joins them, kobo would read a separate value (or fail); joined here");
                sb.Append(_tok.Text);
                if (sb.Length > ConfigLimits.MaxStringLength)
                    throw Err(ErrorCodes.ConfigTooLarge, $"a string longer than {ConfigLimits.MaxStringLength} characters", first.Pos);
            }
            var peek = PeekToken();
            if (peek.Kind == TokenKind.Op && peek.Text == "%")
            {
                Advance();
                Advance();
                var args = ParseValue(depth + 1, basicOnly: false);
                return new PyStr(PercentFormat.Apply(sb.ToString(), args, first.Pos), first.Pos);
            }
            return new PyStr(sb.ToString(), first.Pos);
        }

        private static string Clip(string s) => s.Length > 60 ? s[..60] + "…" : s;

        private void Warn(SourcePos pos, string message) => _warnings.Add(new ConfigDiagnostic(ErrorCodes.ImportKoboDivergence, message, pos));

        /// <summary>kobo: a number with a '.' is float(), anything else int() — so no hex, octal or exponent-only forms.</summary>
        private static PyValue ParseNumber(Token t, bool negative)
        {
            var text = t.Text.Replace("_", "", StringComparison.Ordinal);
            if (t.Text.Contains('.'))
            {
                if (double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) && !t.Text.StartsWith('_') && !t.Text.EndsWith('_'))
                    return new PyFloat(negative ? -d : d, t.Pos);
            }
            else if (text.Length > 0 && text.All(char.IsAsciiDigit) && !t.Text.EndsWith('_') && !t.Text.Contains("__", StringComparison.Ordinal))
            {
                var v = BigInteger.Parse(text, CultureInfo.InvariantCulture);
                return new PyInt(negative ? -v : v, t.Pos);
            }
            throw Err(ErrorCodes.ConfigSyntax, $"'{t.Text}' is not a number kobo reads (decimal integers and decimals with a '.' only)", t.Pos);
        }

        private PyList ParseSequence(int depth, string close, SourcePos pos)
        {
            var items = new List<PyValue>();
            _open.Push((pos, close == ")" ? "(" : "["));
            bool sawComma = true;
            while (true)
            {
                Advance();
                // kobo skips any run of commas: [1,,2] and a missing comma both read
                while (IsOp(",")) { sawComma = true; Advance(); }
                if (_tok.Kind == TokenKind.End)
                    throw Err(ErrorCodes.ConfigSyntax, $"'{(close == ")" ? "(" : "[")}' is never closed", pos);
                if (IsOp(close)) break;
                if (!sawComma)
                    Warn(_tok.Pos, "missing comma between items: kobo accepts it, Python would not");
                items.Add(ParseValue(depth + 1, basicOnly: false));
                sawComma = false;
            }
            _open.Pop();
            return new PyList(items, close == ")", pos);
        }

        private PyDict ParseDict(int depth, SourcePos pos)
        {
            var entries = new List<KeyValuePair<PyValue, PyValue>>();
            _open.Push((pos, "{"));
            bool sawComma = true;
            while (true)
            {
                Advance();
                while (IsOp(",")) { sawComma = true; Advance(); }
                if (_tok.Kind == TokenKind.End) throw Err(ErrorCodes.ConfigSyntax, "'{' is never closed", pos);
                if (IsOp("}")) break;
                if (!sawComma)
                    Warn(_tok.Pos, "missing comma between dict entries: kobo accepts it, Python would not");
                var key = ParseValue(depth + 1, basicOnly: true);
                // kobo compares type and value, so {1: .., True: ..} is not a duplicate
                if (entries.Any(e => e.Key.GetType() == key.GetType() && e.Key.ToPython() == key.ToPython()))
                    throw Err(ErrorCodes.ConfigDuplicateKey, $"duplicate dict key {key.ToPython()}", key.Pos);
                Advance();
                if (!IsOp(":")) throw Err(ErrorCodes.ConfigSyntax, $"expected ':' after a dict key, found {Describe(_tok)}", _tok.Pos);
                Advance();
                var value = ParseValue(depth + 1, basicOnly: false);
                entries.Add(new(key, value));
                sawComma = false;
            }
            _open.Pop();
            return new PyDict(entries, pos);
        }
    }

    // ---------------------------------------------------------------- JSON form

    private static Dictionary<string, ConfigOption> ReadJson(string file, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] == '\n') lineStarts.Add(i + 1);
        SourcePos At(long offset)
        {
            int idx = lineStarts.BinarySearch((int)offset);
            if (idx < 0) idx = ~idx - 1;
            return new SourcePos(file, idx + 1, (int)offset - lineStarts[idx] + 1);
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = ConfigLimits.MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new PungiException(ErrorCodes.ConfigJsonInvalid, "a JSON config must be one object of options", file, 1, 1);
            var result = new Dictionary<string, ConfigOption>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var pos = At(reader.TokenStartIndex);
                var name = reader.GetString()!;
                reader.Read();
                result[name] = new ConfigOption(name, JsonValue(ref reader, At), pos);
            }
            if (reader.Read())
                throw new PungiException(ErrorCodes.ConfigJsonInvalid, "text after the JSON object", file, At(reader.TokenStartIndex).Line, At(reader.TokenStartIndex).Column);
            return result;
        }
        catch (JsonException e)
        {
            throw new PungiException(ErrorCodes.ConfigJsonInvalid, e.Message.Split(" LineNumber:")[0], file,
                (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, e);
        }
    }

    private static PyValue JsonValue(ref Utf8JsonReader reader, Func<long, SourcePos> at)
    {
        var pos = at(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var s = reader.GetString()!;
                if (s.Length > ConfigLimits.MaxStringLength)
                    throw new PungiException(ErrorCodes.ConfigTooLarge, $"a string longer than {ConfigLimits.MaxStringLength} characters", pos.File, pos.Line, pos.Column);
                return new PyStr(s, pos);
            case JsonTokenType.Number:
                var raw = Encoding.UTF8.GetString(reader.ValueSpan);
                if (raw.Length > ConfigLimits.MaxNumberLength)
                    throw new PungiException(ErrorCodes.ConfigTooLarge, "a number too long", pos.File, pos.Line, pos.Column);
                if (raw.AsSpan().ContainsAny(".eE")) return new PyFloat(reader.GetDouble(), pos);
                return new PyInt(BigInteger.Parse(raw, CultureInfo.InvariantCulture), pos);
            case JsonTokenType.True: return new PyBool(true, pos);
            case JsonTokenType.False: return new PyBool(false, pos);
            case JsonTokenType.Null: return new PyNone(pos);
            case JsonTokenType.StartArray:
                var items = new List<PyValue>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(JsonValue(ref reader, at));
                return new PyList(items, false, pos);
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<PyValue, PyValue>>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = new PyStr(reader.GetString()!, at(reader.TokenStartIndex));
                    reader.Read();
                    entries.Add(new(key, JsonValue(ref reader, at)));
                }
                return new PyDict(entries, pos);
        }
        throw new PungiException(ErrorCodes.ConfigJsonInvalid, $"unexpected JSON token {reader.TokenType}", pos.File, pos.Line, pos.Column);
    }
}
