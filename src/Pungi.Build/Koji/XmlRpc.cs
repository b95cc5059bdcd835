using System.Globalization;
using System.Text;
using System.Xml;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Koji;

/// <summary>
/// XML-RPC values map to plain .NET values: <c>nil</c> ↔ null, <c>boolean</c> ↔ bool, <c>int</c>/<c>i4</c> ↔ int,
/// <c>i8</c> ↔ long (an int is written as <c>&lt;i8&gt;</c> only outside the 32-bit range, as koji's marshaller does),
/// <c>double</c> ↔ double, <c>string</c> (or an untyped value) ↔ string, <c>dateTime.iso8601</c> ↔ DateTime,
/// <c>base64</c> ↔ byte[], <c>struct</c> ↔ Dictionary&lt;string, object?&gt; (member order kept),
/// <c>array</c> ↔ List&lt;object?&gt;.
/// </summary>
public sealed record XmlRpcFault(int Code, string Message, IReadOnlyDictionary<string, object?> Struct);

/// <summary>A decoded <c>methodResponse</c>: either a value or a fault.</summary>
public sealed record XmlRpcResponse(object? Value, XmlRpcFault? Fault);

/// <summary>A decoded <c>methodCall</c>.</summary>
public sealed record XmlRpcCall(string MethodName, IReadOnlyList<object?> Params);

/// <summary>
/// Writes XML-RPC documents byte for byte as Python's <c>xmlrpc.client</c> marshaller (with koji's i8 extension)
/// writes them, so a request we send equals what the koji client would send for the same call.
/// </summary>
public static class XmlRpcWriter
{
    private const string Declaration = "<?xml version='1.0'?>\n";

    public static string Call(string methodName, IReadOnlyList<object?> parameters)
    {
        var sb = new StringBuilder(256);
        sb.Append(Declaration).Append("<methodCall>\n<methodName>").Append(Escape(methodName)).Append("</methodName>\n");
        AppendParams(sb, parameters);
        sb.Append("</methodCall>\n");
        return sb.ToString();
    }

    public static string Response(object? value)
    {
        var sb = new StringBuilder(256);
        sb.Append(Declaration).Append("<methodResponse>\n");
        AppendParams(sb, [value]);
        sb.Append("</methodResponse>\n");
        return sb.ToString();
    }

    /// <summary>A fault response; <paramref name="extra"/> members (none on a real hub's top-level fault) follow the two standard ones.</summary>
    public static string Fault(int code, string message)
    {
        var sb = new StringBuilder(256);
        sb.Append(Declaration).Append("<methodResponse>\n<fault>\n");
        AppendValue(sb, new Dictionary<string, object?> { ["faultCode"] = code, ["faultString"] = message }, 0);
        sb.Append("</fault>\n</methodResponse>\n");
        return sb.ToString();
    }

    /// <summary>One value as the marshaller writes it (used for multicall entries and tests).</summary>
    public static string Value(object? value)
    {
        var sb = new StringBuilder();
        AppendValue(sb, value, 0);
        return sb.ToString();
    }

    private static void AppendParams(StringBuilder sb, IReadOnlyList<object?> parameters)
    {
        sb.Append("<params>\n");
        foreach (var p in parameters)
        {
            sb.Append("<param>\n");
            AppendValue(sb, p, 0);
            sb.Append("</param>\n");
        }
        sb.Append("</params>\n");
    }

    private static void AppendValue(StringBuilder sb, object? value, int depth)
    {
        if (depth > XmlRpcReader.MaxDepth)
            throw new PungiException(ErrorCodes.KojiValueUnsupported, "XML-RPC value nested too deeply (a cycle?)");
        switch (value)
        {
            case null:
                sb.Append("<value><nil/></value>"); // Python writes no newline after nil
                return;
            case bool b:
                sb.Append("<value><boolean>").Append(b ? '1' : '0').Append("</boolean></value>\n");
                return;
            case int or short or byte or sbyte or ushort or uint or long:
                AppendInteger(sb, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong ul:
                if (ul > long.MaxValue)
                    throw new PungiException(ErrorCodes.KojiValueUnsupported, $"integer {ul} does not fit XML-RPC i8");
                AppendInteger(sb, (long)ul);
                return;
            case double or float or decimal:
                sb.Append("<value><double>").Append(PythonRepr(Convert.ToDouble(value, CultureInfo.InvariantCulture))).Append("</double></value>\n");
                return;
            case string s:
                sb.Append("<value><string>").Append(Escape(s)).Append("</string></value>\n");
                return;
            case Enum e:
                AppendInteger(sb, Convert.ToInt64(e, CultureInfo.InvariantCulture));
                return;
            case DateTime dt:
                sb.Append("<value><dateTime.iso8601>").Append(dt.ToString("yyyyMMdd'T'HH:mm:ss", CultureInfo.InvariantCulture))
                  .Append("</dateTime.iso8601></value>\n");
                return;
            case byte[] bytes:
                sb.Append("<value><base64>\n").Append(PythonEncodeBytes(bytes)).Append("</base64></value>\n");
                return;
            case IEnumerable<KeyValuePair<string, object?>> members:
                sb.Append("<value><struct>\n");
                foreach (var (k, v) in members)
                {
                    sb.Append("<member>\n<name>").Append(Escape(k)).Append("</name>\n");
                    AppendValue(sb, v, depth + 1);
                    sb.Append("</member>\n");
                }
                sb.Append("</struct></value>\n");
                return;
            case System.Collections.IDictionary:
                throw new PungiException(ErrorCodes.KojiValueUnsupported, "XML-RPC struct keys must be strings (use Dictionary<string, object?>)");
            case System.Collections.IEnumerable items:
                sb.Append("<value><array><data>\n");
                foreach (var item in items)
                    AppendValue(sb, item, depth + 1);
                sb.Append("</data></array></value>\n");
                return;
            default:
                throw new PungiException(ErrorCodes.KojiValueUnsupported, $"a {value.GetType().Name} cannot be sent over XML-RPC");
        }
    }

    private static void AppendInteger(StringBuilder sb, long n)
    {
        var tag = n is > int.MaxValue or < int.MinValue ? "i8" : "int";
        sb.Append("<value><").Append(tag).Append('>').Append(n.ToString(CultureInfo.InvariantCulture)).Append("</").Append(tag).Append("></value>\n");
    }

    /// <summary>xmlrpc.client.escape: only &amp;, &lt; and &gt;.</summary>
    public static string Escape(string s)
    {
        if (s.AsSpan().IndexOfAny('&', '<', '>') < 0)
            return s;
        return s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>Python's repr(float): shortest round-trip digits; fixed notation for exponents -4..15, else 1.5e-05 style.</summary>
    internal static string PythonRepr(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";
        var sign = d < 0 ? "-" : "";
        var r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        string digits;
        int exp; // value = d0.d1d2... × 10^exp
        var e = r.IndexOf('E');
        if (e >= 0)
        {
            var m = r[..e];
            exp = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
            digits = m.Replace(".", "", StringComparison.Ordinal);
        }
        else
        {
            var dot = r.IndexOf('.');
            var intPart = dot >= 0 ? r[..dot] : r;
            var frac = dot >= 0 ? r[(dot + 1)..] : "";
            var all = intPart + frac;
            var lead = all.Length - all.TrimStart('0').Length;
            digits = all.TrimStart('0');
            exp = intPart.Length - 1 - lead;
        }
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        if (exp is >= -4 and < 16)
        {
            if (exp >= 0)
            {
                var ip = digits.Length > exp + 1 ? digits[..(exp + 1)] : digits.PadRight(exp + 1, '0');
                var fp = digits.Length > exp + 1 ? digits[(exp + 1)..] : "0";
                return sign + ip + "." + fp;
            }
            return sign + "0." + new string('0', -exp - 1) + digits;
        }
        var mant = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
        return sign + mant + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>base64.encodebytes: lines of 76 characters, each ending in a newline.</summary>
    private static string PythonEncodeBytes(byte[] bytes)
    {
        var b64 = Convert.ToBase64String(bytes);
        var sb = new StringBuilder(b64.Length + b64.Length / 76 + 2);
        for (var i = 0; i < b64.Length; i += 76)
            sb.Append(b64, i, Math.Min(76, b64.Length - i)).Append('\n');
        return sb.ToString();
    }
}

/// <summary>
/// Reads XML-RPC documents that come from outside: no DTD, no external entities, bounded size and depth.
/// </summary>
public static class XmlRpcReader
{
    public const int MaxDepth = 200;

    public static XmlReaderSettings Settings(long maxChars) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxChars,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        CheckCharacters = false, // Python's marshaller does not escape control characters
        CloseInput = false,
        Async = false,
    };

    /// <summary>The response size the reader accepts unless told otherwise (the client passes its own MaxResponseBytes).</summary>
    public const long DefaultMaxChars = 512L << 20;

    public static XmlRpcResponse ReadResponse(Stream stream, long maxChars = DefaultMaxChars)
        => Guard(() =>
        {
            using var r = XmlReader.Create(stream, Settings(maxChars));
            r.MoveToContent();
            Expect(r, "methodResponse");
            NextElement(r);
            if (r.NodeType == XmlNodeType.Element && r.LocalName == "fault")
            {
                NextElement(r);
                var v = ReadValue(r, 0) as Dictionary<string, object?>
                    ?? throw Bad("fault value is not a struct");
                var code = v.TryGetValue("faultCode", out var c) && c is int or long ? Convert.ToInt32(c, CultureInfo.InvariantCulture) : 0;
                var msg = v.TryGetValue("faultString", out var m) ? m as string ?? "" : "";
                return new XmlRpcResponse(null, new XmlRpcFault(code, msg, v));
            }
            Expect(r, "params");
            NextElement(r);
            Expect(r, "param");
            NextElement(r);
            return new XmlRpcResponse(ReadValue(r, 0), null);
        });

    public static XmlRpcResponse ReadResponse(string xml) => ReadResponse(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    public static XmlRpcCall ReadCall(Stream stream, long maxChars = 1L << 28)
        => Guard(() =>
        {
            using var r = XmlReader.Create(stream, Settings(maxChars));
            r.MoveToContent();
            Expect(r, "methodCall");
            NextElement(r);
            Expect(r, "methodName");
            var name = r.ReadElementContentAsString().Trim();
            var ps = new List<object?>();
            SkipNonElements(r);
            if (r.NodeType == XmlNodeType.Element && r.LocalName == "params")
            {
                if (!r.IsEmptyElement)
                {
                    NextElement(r);
                    while (r.NodeType == XmlNodeType.Element && r.LocalName == "param")
                    {
                        NextElement(r);
                        ps.Add(ReadValue(r, 0));
                        NextElement(r);
                        SkipToEnd(r, "param");
                        r.Read();
                        SkipNonElements(r);
                    }
                }
            }
            return new XmlRpcCall(name, ps);
        });

    public static XmlRpcCall ReadCall(string xml) => ReadCall(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    private static T Guard<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (XmlException e)
        {
            throw new PungiException(ErrorCodes.KojiBadResponse, $"malformed XML-RPC document: {e.Message}", inner: e);
        }
        catch (FormatException e)
        {
            throw new PungiException(ErrorCodes.KojiBadResponse, $"malformed XML-RPC value: {e.Message}", inner: e);
        }
        catch (OverflowException e)
        {
            throw new PungiException(ErrorCodes.KojiBadResponse, $"XML-RPC number out of range: {e.Message}", inner: e);
        }
    }

    private static PungiException Bad(string what) => new(ErrorCodes.KojiBadResponse, "malformed XML-RPC document: " + what);

    private static void Expect(XmlReader r, string name)
    {
        if (r.NodeType != XmlNodeType.Element || r.LocalName != name)
            throw Bad($"expected <{name}>, found {r.NodeType} '{r.LocalName}'");
    }

    /// <summary>Moves past the current node to the next element start (or end element).</summary>
    private static void NextElement(XmlReader r)
    {
        if (!r.Read()) throw Bad("document ends early");
        SkipNonElements(r);
    }

    private static void SkipNonElements(XmlReader r)
    {
        while (r.NodeType is not (XmlNodeType.Element or XmlNodeType.EndElement))
        {
            if (r.NodeType is XmlNodeType.Text or XmlNodeType.CDATA)
                throw Bad($"unexpected text '{Trunc(r.Value)}'");
            if (!r.Read()) throw Bad("document ends early");
        }
    }

    private static void SkipToEnd(XmlReader r, string name)
    {
        SkipNonElements(r);
        if (r.NodeType != XmlNodeType.EndElement || r.LocalName != name)
            throw Bad($"expected </{name}>, found {r.NodeType} '{r.LocalName}'");
    }

    private static string Trunc(string s) => s.Length > 40 ? s[..40] + "…" : s;

    /// <summary>Reads one &lt;value&gt; (positioned on it) and leaves the reader on its end tag.</summary>
    private static object? ReadValue(XmlReader r, int depth)
    {
        if (depth > MaxDepth) throw Bad("values nested deeper than " + MaxDepth);
        Expect(r, "value");
        if (r.IsEmptyElement)
            return "";
        var text = new StringBuilder();
        while (r.Read())
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(r.Value);
                    continue;
                case XmlNodeType.EndElement:
                    return text.ToString(); // untyped value = string
                case XmlNodeType.Element:
                    var v = ReadTyped(r, depth);
                    // leave the reader on </value>
                    if (!r.Read()) throw Bad("document ends early");
                    SkipToEnd(r, "value");
                    return v;
            }
        }
        throw Bad("document ends inside <value>");
    }

    private static object? ReadTyped(XmlReader r, int depth)
    {
        switch (r.LocalName)
        {
            case "nil":
                if (!r.IsEmptyElement) { r.Read(); SkipToEnd(r, "nil"); }
                return null;
            case "int" or "i4":
            {
                var n = long.Parse(Content(r).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                return n is >= int.MinValue and <= int.MaxValue ? (object)(int)n : n;
            }
            case "i8":
                return long.Parse(Content(r).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            case "boolean":
                return Content(r).Trim() switch
                {
                    "1" or "true" => true,
                    "0" or "false" => false,
                    var other => throw Bad($"bad boolean '{Trunc(other)}'"),
                };
            case "string":
                return Content(r);
            case "double":
                return ParseDouble(Content(r).Trim());
            case "dateTime.iso8601":
                return ParseDate(Content(r).Trim());
            case "base64":
                return Convert.FromBase64String(Content(r));
            case "struct":
                return ReadStruct(r, depth);
            case "array":
                return ReadArray(r, depth);
            default:
                throw Bad($"unknown value type <{r.LocalName}>");
        }
    }

    /// <summary>Element text; leaves the reader on the element's end tag (or the empty element).</summary>
    private static string Content(XmlReader r)
    {
        if (r.IsEmptyElement) return "";
        var name = r.LocalName;
        var sb = new StringBuilder();
        while (r.Read())
        {
            if (r.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
                sb.Append(r.Value);
            else if (r.NodeType == XmlNodeType.EndElement && r.LocalName == name)
                return sb.ToString();
            else if (r.NodeType == XmlNodeType.Element)
                throw Bad($"element <{r.LocalName}> inside <{name}>");
        }
        throw Bad($"document ends inside <{name}>");
    }

    private static double ParseDouble(string s) => s switch
    {
        "inf" or "Infinity" => double.PositiveInfinity,
        "-inf" or "-Infinity" => double.NegativeInfinity,
        "nan" or "NaN" => double.NaN,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static readonly string[] DateFormats =
        ["yyyyMMdd'T'HH:mm:ss", "yyyyMMdd'T'HHmmss", "yyyy-MM-dd'T'HH:mm:ss", "yyyyMMdd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'"];

    private static DateTime ParseDate(string s)
        => DateTime.ParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None);

    private static Dictionary<string, object?> ReadStruct(XmlReader r, int depth)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (r.IsEmptyElement) return d;
        NextElement(r);
        while (r.NodeType == XmlNodeType.Element)
        {
            Expect(r, "member");
            NextElement(r);
            string? name = null;
            object? value = null;
            var haveValue = false;
            while (r.NodeType == XmlNodeType.Element)
            {
                if (r.LocalName == "name")
                {
                    name = r.IsEmptyElement ? "" : Content(r);
                }
                else if (r.LocalName == "value")
                {
                    value = ReadValue(r, depth + 1);
                    haveValue = true;
                }
                else throw Bad($"unexpected <{r.LocalName}> in <member>");
                NextElement(r);
            }
            SkipToEnd(r, "member");
            if (name is null || !haveValue) throw Bad("struct member without name or value");
            d[name] = value;
            NextElement(r);
        }
        SkipToEnd(r, "struct");
        return d;
    }

    private static List<object?> ReadArray(XmlReader r, int depth)
    {
        var list = new List<object?>();
        if (r.IsEmptyElement) return list;
        NextElement(r);
        if (r.NodeType == XmlNodeType.EndElement) { SkipToEnd(r, "array"); return list; }
        Expect(r, "data");
        if (!r.IsEmptyElement)
        {
            NextElement(r);
            while (r.NodeType == XmlNodeType.Element)
            {
                list.Add(ReadValue(r, depth + 1));
                NextElement(r);
            }
            SkipToEnd(r, "data");
        }
        NextElement(r);
        SkipToEnd(r, "array");
        return list;
    }
}
