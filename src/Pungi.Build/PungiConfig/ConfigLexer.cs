using System.Globalization;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.PungiConfig;

internal enum TokenKind { Name, Number, String, Op, Newline, End }

/// <summary>
/// One token. A string token carries its decoded value (Python semantics) and what kobo would read instead
/// (<see cref="KoboText"/>: the text between the quotes, without escape processing) when the two differ.
/// </summary>
internal readonly record struct Token(TokenKind Kind, string Text, SourcePos Pos, string? KoboText = null);

/// <summary>
/// Splits kobo config text into tokens the way Python's <c>tokenize</c> does for the subset kobo reads: names,
/// numbers, string literals (single, double and triple quotes; r/u prefixes; escapes), operators, comments and line
/// ends (only line ends outside brackets are reported: kobo skips them everywhere except in <c>from ... import</c>).
/// </summary>
internal sealed class ConfigLexer
{
    private readonly string _text;
    private readonly string _file;
    private int _i;
    private int _line = 1;
    private int _lineStart;
    private int _brackets;

    public ConfigLexer(string text, string file)
    {
        _text = text;
        _file = file;
    }

    private SourcePos Here => new(_file, _line, _i - _lineStart + 1);

    private PungiException Error(string code, string message, SourcePos pos)
        => new(code, message, pos.File, pos.Line, pos.Column);

    public Token Next()
    {
        while (true)
        {
            if (_i >= _text.Length) return new Token(TokenKind.End, "", Here);
            char c = _text[_i];
            if (c is ' ' or '\t' or '\f') { _i++; continue; }
            if (c == '#')
            {
                while (_i < _text.Length && _text[_i] != '\n') _i++;
                continue;
            }
            if (c == '\\' && (Peek(1) == '\n' || (Peek(1) == '\r' && Peek(2) == '\n')))
            {
                // explicit line continuation
                _i += Peek(1) == '\n' ? 2 : 3;
                NewLine();
                continue;
            }
            if (c == '\r') { _i++; continue; }
            if (c == '\n')
            {
                var pos = Here;
                _i++;
                NewLine();
                if (_brackets == 0) return new Token(TokenKind.Newline, "\n", pos);
                continue;
            }
            break;
        }

        var start = Here;
        char ch = _text[_i];
        if (IsNameStart(ch))
        {
            int s = _i;
            while (_i < _text.Length && IsNameChar(_text[_i])) _i++;
            var name = _text[s.._i];
            // string prefixes: r'..', u'..', R"..", ...
            if (_i < _text.Length && _text[_i] is '\'' or '"' && name.Length <= 2)
            {
                var lower = name.ToLowerInvariant();
                if (lower is "r" or "u") return ReadString(start, raw: lower == "r", prefix: name);
                throw Error(ErrorCodes.ConfigBadString, $"string prefix '{name}' is not supported in a Pungi config (only r and u)", start);
            }
            if (name.Length > ConfigLimits.MaxNameLength)
                throw Error(ErrorCodes.ConfigTooLarge, $"a name longer than {ConfigLimits.MaxNameLength} characters", start);
            return new Token(TokenKind.Name, name, start);
        }
        if (char.IsAsciiDigit(ch) || (ch == '.' && char.IsAsciiDigit(Peek(1))))
        {
            int s = _i;
            while (_i < _text.Length && (char.IsAsciiLetterOrDigit(_text[_i]) || _text[_i] is '_' or '.'
                   || (_text[_i] is '+' or '-' && _text[_i - 1] is 'e' or 'E' && !_text[s..(_i - 1)].StartsWith("0x", StringComparison.OrdinalIgnoreCase))))
            {
                _i++;
                if (_i - s > ConfigLimits.MaxNumberLength)
                    throw Error(ErrorCodes.ConfigTooLarge, $"a number longer than {ConfigLimits.MaxNumberLength} characters", start);
            }
            return new Token(TokenKind.Number, _text[s.._i], start);
        }
        if (ch is '\'' or '"') return ReadString(start, raw: false, prefix: "");
        switch (ch)
        {
            case '[' or '{' or '(':
                if (++_brackets > ConfigLimits.MaxDepth * 4)
                    throw Error(ErrorCodes.ConfigTooDeep, $"brackets nested deeper than {ConfigLimits.MaxDepth}", start);
                _i++;
                return new Token(TokenKind.Op, ch.ToString(), start);
            case ']' or '}' or ')':
                if (_brackets > 0) _brackets--;
                _i++;
                return new Token(TokenKind.Op, ch.ToString(), start);
            case '=' or ',' or ':' or '-' or '%' or '*' or '.' or '+':
                _i++;
                return new Token(TokenKind.Op, ch.ToString(), start);
        }
        throw Error(ErrorCodes.ConfigSyntax, $"unexpected character '{Printable(ch)}'", start);
    }

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"\\u{(int)c:x4}" : c.ToString();

    private char Peek(int ahead) => _i + ahead < _text.Length ? _text[_i + ahead] : '\0';

    private void NewLine()
    {
        _line++;
        _lineStart = _i;
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';
    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private Token ReadString(SourcePos start, bool raw, string prefix)
    {
        // the prefix (if any) is already consumed as a name
        char q = _text[_i];
        bool triple = Peek(1) == q && Peek(2) == q;
        int openLen = triple ? 3 : 1;
        _i += openLen;
        int contentStart = _i;
        var sb = new StringBuilder();
        while (true)
        {
            if (_i >= _text.Length)
                throw Error(ErrorCodes.ConfigBadString, "unterminated string literal", start);
            char c = _text[_i];
            if (c == q && (!triple || (Peek(1) == q && Peek(2) == q)))
            {
                int contentEnd = _i;
                _i += openLen;
                var value = sb.ToString();
                // kobo takes token[1:-1]: the prefix and triple quotes leak into the value, escapes are not processed
                var tokenText = _text[(contentStart - openLen - prefix.Length)..(contentEnd + openLen)];
                var kobo = tokenText[1..^1];
                return new Token(TokenKind.String, value, start, kobo == value ? null : kobo);
            }
            if (c == '\n')
            {
                if (!triple) throw Error(ErrorCodes.ConfigBadString, "unterminated string literal (a line end inside single quotes)", start);
                sb.Append('\n');
                _i++;
                NewLine();
            }
            else if (c == '\\' && _i + 1 < _text.Length)
            {
                if (raw)
                {
                    sb.Append(c).Append(_text[_i + 1]);
                    _i += 2;
                    if (_text[_i - 1] == '\n') NewLine();
                }
                else ReadEscape(sb);
            }
            else
            {
                sb.Append(c);
                _i++;
            }
            if (sb.Length > ConfigLimits.MaxStringLength)
                throw Error(ErrorCodes.ConfigTooLarge, $"a string literal longer than {ConfigLimits.MaxStringLength} characters", start);
        }
    }

    /// <summary>Python's escape sequences; an unknown escape keeps its backslash (as Python does).</summary>
    private void ReadEscape(StringBuilder sb)
    {
        var pos = Here;
        char e = _text[_i + 1];
        _i += 2;
        switch (e)
        {
            case '\n': NewLine(); return; // backslash-newline inside a string: continuation
            case '\\': sb.Append('\\'); return;
            case '\'': sb.Append('\''); return;
            case '"': sb.Append('"'); return;
            case 'n': sb.Append('\n'); return;
            case 't': sb.Append('\t'); return;
            case 'r': sb.Append('\r'); return;
            case 'a': sb.Append('\a'); return;
            case 'b': sb.Append('\b'); return;
            case 'f': sb.Append('\f'); return;
            case 'v': sb.Append('\v'); return;
            case 'x': AppendCodePoint(sb, Hex(2, pos), pos); return;
            case 'u': AppendCodePoint(sb, Hex(4, pos), pos); return;
            case 'U': AppendCodePoint(sb, Hex(8, pos), pos); return;
        }
        if (e is >= '0' and <= '7')
        {
            int v = e - '0';
            for (int k = 0; k < 2 && _i < _text.Length && _text[_i] is >= '0' and <= '7'; k++) v = v * 8 + (_text[_i++] - '0');
            AppendCodePoint(sb, v, pos);
            return;
        }
        if (e == 'N') throw Error(ErrorCodes.ConfigBadString, @"\N{...} escapes are not supported; write the character itself", pos);
        sb.Append('\\').Append(e);
    }

    private int Hex(int digits, SourcePos pos)
    {
        if (_i + digits > _text.Length || !int.TryParse(_text.AsSpan(_i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            || _text.AsSpan(_i, digits).ContainsAnyExcept("0123456789abcdefABCDEF"))
            throw Error(ErrorCodes.ConfigBadString, $"truncated escape: expected {digits} hex digits", pos);
        _i += digits;
        return v;
    }

    private void AppendCodePoint(StringBuilder sb, int cp, SourcePos pos)
    {
        if (cp is < 0 or > 0x10FFFF) throw Error(ErrorCodes.ConfigBadString, "escape names no Unicode code point", pos);
        if (cp is >= 0xD800 and <= 0xDFFF) sb.Append((char)cp);
        else sb.Append(char.ConvertFromUtf32(cp));
    }
}

/// <summary>The reader's bounds, so hostile input ends in a coded error instead of exhausting stack or memory.</summary>
public static class ConfigLimits
{
    public const int MaxDepth = 64; // nesting of lists/dicts/tuples (Pungi configs use 4-5)
    public const int MaxFileBytes = 16 * 1024 * 1024;
    public const int MaxStringLength = 1024 * 1024; // one literal, one concatenation or one formatted string
    public const int MaxNumberLength = 4300; // Python's own int_max_str_digits default
    public const int MaxNameLength = 1000;
    public const int MaxImportDepth = 16;
    public const int MaxValues = 1_000_000; // values in one file, references counted in full (no exponential sharing)
}
