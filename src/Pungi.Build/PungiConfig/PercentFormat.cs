using System.Globalization;
using System.Numerics;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.PungiConfig;

/// <summary>
/// Python's <c>"..." % values</c> as kobo configs use it (format.rst: <c>"%s %s" % (a, b)</c>,
/// <c>"%(key)s" % a_dict</c>): conversions s, r, d, i and f with an optional width and precision, and <c>%%</c>.
/// </summary>
internal static class PercentFormat
{
    public static string Apply(string format, PyValue args, SourcePos pos)
    {
        var positional = args is PyList { IsTuple: true } t ? t.Items : args is PyDict ? [] : [args];
        var mapping = args as PyDict;
        int next = 0;
        var sb = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%') { sb.Append(c); continue; }
            if (++i >= format.Length) throw Bad("incomplete format at the end of the string");
            if (format[i] == '%') { sb.Append('%'); continue; }
            PyValue value;
            if (format[i] == '(')
            {
                int close = format.IndexOf(')', i);
                if (close < 0) throw Bad("'%(' without ')'");
                var key = format[(i + 1)..close];
                if (mapping is null) throw Bad("format requires a mapping (a dict after '%')");
                value = mapping.Get(key) ?? throw Bad($"the dict has no key '{key}'");
                i = close + 1;
            }
            else
            {
                if (next >= positional.Count) throw Bad("not enough arguments for format string");
                value = positional[next++];
            }
            int width = ReadInt(format, ref i);
            int precision = -1;
            if (i < format.Length && format[i] == '.') { i++; precision = ReadInt(format, ref i); }
            if (i >= format.Length) throw Bad("incomplete format");
            string text = format[i] switch
            {
                's' => Str(value),
                'r' => value.ToPython(),
                'd' or 'i' => AsInteger(value).ToString(CultureInfo.InvariantCulture),
                'f' => AsDouble(value).ToString("F" + (precision < 0 ? 6 : precision), CultureInfo.InvariantCulture),
                _ => throw Bad($"unsupported format character '{format[i]}'"),
            };
            if (format[i] == 's' && precision >= 0 && text.Length > precision) text = text[..precision];
            sb.Append(text.PadLeft(width));
            if (sb.Length > ConfigLimits.MaxStringLength)
                throw new PungiException(ErrorCodes.ConfigTooLarge, $"a formatted string longer than {ConfigLimits.MaxStringLength} characters", pos.File, pos.Line, pos.Column);
        }
        if (mapping is null && next < positional.Count) throw Bad("not all arguments converted during string formatting");
        return sb.ToString();

        PungiException Bad(string why) => new(ErrorCodes.ConfigBadFormat, $"string formatting: {why}", pos.File, pos.Line, pos.Column);

        BigInteger AsInteger(PyValue v) => v switch
        {
            PyInt n => n.Value,
            PyBool b => b.Value ? 1 : 0,
            PyFloat f when double.IsFinite(f.Value) => new BigInteger(Math.Truncate(f.Value)),
            _ => throw Bad($"%d needs a number, not {v.TypeName}"),
        };

        double AsDouble(PyValue v) => v switch
        {
            PyInt n => (double)n.Value,
            PyBool b => b.Value ? 1 : 0,
            PyFloat f => f.Value,
            _ => throw Bad($"%f needs a number, not {v.TypeName}"),
        };
    }

    private static int ReadInt(string s, ref int i)
    {
        int v = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]) && v < 10000) v = v * 10 + (s[i++] - '0');
        return v;
    }

    /// <summary>Python's <c>str()</c> of a value.</summary>
    public static string Str(PyValue v) => v is PyStr s ? s.Value : v.ToPython();
}
