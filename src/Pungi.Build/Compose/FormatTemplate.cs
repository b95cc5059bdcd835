using System.Globalization;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Compose;

/// <summary>
/// Pungi applies every name/volid/checksum template twice: first Python <c>%</c>-formatting with a dict
/// (<c>%(key)s</c>), then <c>str.format</c> (<c>{key}</c>), so both syntaxes work in one string (spec §1.2).
/// An unknown key is a hard error, as in Pungi.
/// </summary>
public static class FormatTemplate
{
    public static string Apply(string template, IReadOnlyDictionary<string, string> values, string? file = null, int line = 0)
        => ApplyBraces(ApplyPercent(template, values, file, line), values, file, line);

    /// <summary>Python <c>template % dict</c>: <c>%(key)s</c>, <c>%(key)d</c>, <c>%%</c>.</summary>
    public static string ApplyPercent(string template, IReadOnlyDictionary<string, string> values, string? file = null, int line = 0)
    {
        var sb = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            if (i + 1 < template.Length && template[i + 1] == '%')
            {
                sb.Append('%');
                i++;
                continue;
            }
            if (i + 1 >= template.Length || template[i + 1] != '(')
                throw Bad(template, "a '%' must be '%%' or start '%(key)s'", file, line);
            var close = template.IndexOf(')', i + 2);
            if (close < 0 || close + 1 >= template.Length)
                throw Bad(template, "unterminated '%(key)s'", file, line);
            var key = template[(i + 2)..close];
            var conv = template[close + 1];
            var value = Lookup(values, key, template, file, line);
            switch (conv)
            {
                case 's':
                    sb.Append(value);
                    break;
                case 'd' or 'i':
                    if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                        throw Bad(template, $"'%({key}){conv}' needs a number, '{key}' is '{value}'", file, line);
                    sb.Append(n.ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    throw Bad(template, $"unsupported conversion '%({key}){conv}' (use %({key})s)", file, line);
            }
            i = close + 1;
        }
        return sb.ToString();
    }

    /// <summary>Python <c>str.format(**dict)</c>: <c>{key}</c>, <c>{{</c>, <c>}}</c>.</summary>
    public static string ApplyBraces(string template, IReadOnlyDictionary<string, string> values, string? file = null, int line = 0)
    {
        var sb = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{')
            {
                if (i + 1 < template.Length && template[i + 1] == '{')
                {
                    sb.Append('{');
                    i++;
                    continue;
                }
                var close = template.IndexOf('}', i + 1);
                if (close < 0)
                    throw Bad(template, "single '{' encountered (write '{{' for a literal brace)", file, line);
                var key = template[(i + 1)..close];
                if (key.Length == 0 || key.IndexOfAny([':', '!', '[', '.', '{']) >= 0)
                    throw Bad(template, $"'{{{key}}}' is not a plain '{{key}}' field", file, line);
                sb.Append(Lookup(values, key, template, file, line));
                i = close;
            }
            else if (c == '}')
            {
                if (i + 1 < template.Length && template[i + 1] == '}')
                {
                    sb.Append('}');
                    i++;
                    continue;
                }
                throw Bad(template, "single '}' encountered (write '}}' for a literal brace)", file, line);
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static string Lookup(IReadOnlyDictionary<string, string> values, string key, string template, string? file, int line)
        => values.TryGetValue(key, out var v)
            ? v
            : throw Bad(template, $"unknown key '{key}'; known keys: {string.Join(", ", values.Keys.Order(StringComparer.Ordinal))}", file, line);

    private static PungiException Bad(string template, string why, string? file, int line)
        => new(ErrorCodes.BadFormatTemplate, $"Template '{template}': {why}.", file, line);
}
