using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Metadata;

/// <summary>
/// JSON exactly as productmd writes it: Python <c>json.dump(data, f, indent=4, sort_keys=True,
/// separators=(",", ": "))</c> with the default <c>ensure_ascii=True</c> and no trailing newline (spec §6).
/// Keys are sorted by code point, every list item and key on its own line, empty containers as <c>[]</c>/<c>{}</c>,
/// non-ASCII escaped as <c>\uXXXX</c>.
/// </summary>
public static class ProductmdJson
{
    public const string Version = "1.2";

    public static string Serialize(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, int level)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    sb.Append(first ? "\n" : ",\n");
                    first = false;
                    sb.Append(' ', (level + 1) * 4);
                    WriteString(sb, key);
                    sb.Append(": ");
                    Write(sb, value, level + 1);
                }
                sb.Append('\n').Append(' ', level * 4).Append('}');
                break;
            case JsonArray arr:
                if (arr.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }
                sb.Append('[');
                for (var i = 0; i < arr.Count; i++)
                {
                    sb.Append(i == 0 ? "\n" : ",\n");
                    sb.Append(' ', (level + 1) * 4);
                    Write(sb, arr[i], level + 1);
                }
                sb.Append('\n').Append(' ', level * 4).Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        // Fast paths for the values our writers create; anything else (e.g. parsed JsonElements) via an element.
        if (value.TryGetValue<string>(out var str))
        {
            WriteString(sb, str);
            return;
        }
        if (value.TryGetValue<int>(out var i32))
        {
            sb.Append(i32.ToString(CultureInfo.InvariantCulture));
            return;
        }
        if (value.TryGetValue<long>(out var i64))
        {
            sb.Append(i64.ToString(CultureInfo.InvariantCulture));
            return;
        }
        if (value.TryGetValue<bool>(out var b))
        {
            sb.Append(b ? "true" : "false");
            return;
        }
        var element = JsonSerializer.SerializeToElement(value);
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                WriteString(sb, element.GetString()!);
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Null:
                sb.Append("null");
                break;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var l))
                    sb.Append(l.ToString(CultureInfo.InvariantCulture));
                else
                    sb.Append(PythonFloat(element.GetDouble()));
                break;
            default:
                throw new InvalidOperationException($"Unexpected JSON value kind {element.ValueKind}.");
        }
    }

    /// <summary>Python's <c>repr(float)</c> for the values productmd could meet.</summary>
    private static string PythonFloat(double d)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        if (s.Contains('E', StringComparison.Ordinal))
        {
            var mantissa = s[..s.IndexOf('E', StringComparison.Ordinal)];
            var exp = int.Parse(s[(s.IndexOf('E', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
            return $"{mantissa}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }
        return s.Contains('.', StringComparison.Ordinal) ? s : s + ".0";
    }

    /// <summary>Python <c>json.encoder.py_encode_basestring_ascii</c>.</summary>
    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ' || c > '~')
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>Parses a productmd JSON file; PUNGI7002 with the line when it is not JSON.</summary>
    public static JsonObject Parse(string text, string? file)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw new PungiException(ErrorCodes.MetadataMalformed, "Metadata file does not hold a JSON object.", file);
        }
        catch (JsonException ex)
        {
            throw new PungiException(ErrorCodes.MetadataMalformed, $"Metadata file is not valid JSON: {ex.Message}",
                file, (int)(ex.LineNumber ?? -1) + 1, (int)(ex.BytePositionInLine ?? 0), ex);
        }
    }

    /// <summary>Reads <c>header</c>, checks its type (when present; productmd before 1.0 had none) and returns the version.</summary>
    public static (int Major, int Minor) ReadHeader(JsonObject root, string expectedType, string? file)
    {
        var header = root["header"] as JsonObject
            ?? throw new PungiException(ErrorCodes.MetadataInvalid, "Metadata file has no 'header' object.", file);
        var type = (string?)header["type"];
        if (type is not null && type != expectedType)
            throw new PungiException(ErrorCodes.UnsupportedMetadataVersion, $"Metadata header type is '{type}', expected '{expectedType}'.", file);
        var version = (string?)header["version"]
            ?? throw new PungiException(ErrorCodes.MetadataInvalid, "Metadata header has no 'version'.", file);
        var parts = version.Split('.');
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var major) ||
            !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var minor))
            throw new PungiException(ErrorCodes.UnsupportedMetadataVersion, $"Metadata header version '{version}' is not <major>.<minor>.", file);
        if (major > 1 || (major == 1 && minor > 2))
            throw new PungiException(ErrorCodes.UnsupportedMetadataVersion,
                $"Metadata header version {version} is newer than productmd {Version}, which this port reads.", file);
        return (major, minor);
    }

    public static JsonObject Header(string type) => new() { ["type"] = type, ["version"] = Version };

    /// <summary>The common <c>payload.compose</c> object: id, type, date, respin; label and final only with a label.</summary>
    public static JsonObject ComposeObject(ComposeHeader compose)
    {
        var obj = new JsonObject
        {
            ["date"] = compose.Date,
            ["id"] = compose.Id,
            ["respin"] = compose.Respin,
            ["type"] = compose.Type,
        };
        if (compose.Label is not null)
        {
            obj["label"] = compose.Label;
            obj["final"] = compose.Final;
        }
        return obj;
    }

    /// <summary>Reads the common <c>payload.compose</c> object.</summary>
    public static ComposeHeader ReadCompose(JsonObject? compose, string? file)
    {
        if (compose is null)
            throw new PungiException(ErrorCodes.MetadataInvalid, "payload has no 'compose' object.", file);
        string Str(string key) => (string?)compose[key]
            ?? throw new PungiException(ErrorCodes.MetadataInvalid, $"payload.compose has no '{key}'.", file);
        var type = Str("type");
        if (!ComposeTypes.IsKnown(type))
            throw new PungiException(ErrorCodes.MetadataInvalid, $"payload.compose.type '{type}' is no productmd compose type.", file);
        return new ComposeHeader(Str("id"), type, Str("date"), compose["respin"] is { } r ? r.GetValue<int>() : 0,
            (string?)compose["label"], compose["final"] is { } f && f.GetValue<bool>());
    }

    /// <summary>Serializes and writes atomically, only when the content changed; returns whether it wrote.</summary>
    public static bool Write(string path, JsonNode node) => AtomicFile.WriteIfChanged(path, Serialize(node));
}
