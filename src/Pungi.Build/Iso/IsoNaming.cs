using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Iso;

/// <summary>What <c>get_volid</c> needs (spec §7.2). Release values are those of the layered product when layered.</summary>
public sealed class VolumeIdRequest
{
    /// <summary><c>get_format_substs</c> keys: compose_id, release_short, version, date, respin, type, type_suffix, label, label_major_version.</summary>
    public required IReadOnlyDictionary<string, string> Common { get; init; }
    public required string Arch { get; init; }
    /// <summary>Variant UID (the parent's UID for a layered product); null when there is none.</summary>
    public string? Variant { get; init; }
    public required string ReleaseShort { get; init; }
    public required string ReleaseVersion { get; init; }
    public string? DiscType { get; init; }
    public bool Layered { get; init; }
    public string? BaseProductShort { get; init; }
    public string? BaseProductVersion { get; init; }
    /// <summary>Explicit candidate formats (the <c>formats</c> argument); null = from configuration.</summary>
    public IReadOnlyList<string>? Formats { get; init; }
    /// <summary><c>image_volid_formats</c>; null = the default.</summary>
    public IReadOnlyList<string>? VolidFormats { get; init; }
    /// <summary><c>image_volid_layered_product_formats</c>; null = the default.</summary>
    public IReadOnlyList<string>? LayeredFormats { get; init; }
    /// <summary><c>volume_id_substitutions</c> in configuration order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Substitutions { get; init; } = [];
    /// <summary><c>restricted_volid</c>.</summary>
    public bool Restricted { get; init; }
    /// <summary>Call-specific extra keys (e.g. <c>volid</c>, <c>filename</c> for extra_isos).</summary>
    public IReadOnlyDictionary<string, string>? Extra { get; init; }
}

/// <summary>
/// Image file names (<c>Compose.get_image_name</c>, spec §7.1) and volume IDs (<c>get_volid</c>, spec §7.2), with the
/// double template substitution of spec §1.2: Python <c>%(key)s</c> formatting first, then <c>str.format</c>'s
/// <c>{key}</c>, so both spellings work in one string.
/// </summary>
public static class IsoNaming
{
    public const string DefaultImageNameFormat = "{compose_id}-{variant}-{arch}-{disc_type}{disc_num}{suffix}";

    public static readonly IReadOnlyList<string> DefaultVolidFormats = ["{release_short}-{version} {variant}.{arch}", "{release_short}-{version} {arch}"];

    public static readonly IReadOnlyList<string> DefaultLayeredVolidFormats =
        ["{release_short}-{version} {base_product_short}-{base_product_version} {variant}.{arch}", "{release_short}-{version} {base_product_short}-{base_product_version} {arch}"];

    /// <summary>
    /// <c>get_image_name</c>: the explicit format, else the first <c>image_name_format</c> entry whose regex matches
    /// the start of the variant UID (or the single string format), else the default. Arch <c>src</c> is written
    /// <c>source</c>; a missing disc number is empty.
    /// </summary>
    public static string GetImageName(IReadOnlyDictionary<string, string> common, string arch, string variant, string discType = "dvd",
        int? discNum = 1, string suffix = ".iso", string? format = null, IReadOnlyList<KeyValuePair<string, string>>? formatByVariant = null)
    {
        format ??= formatByVariant?.FirstOrDefault(kv => Regex.IsMatch(variant, "^(?:" + kv.Key + ")")).Value ?? DefaultImageNameFormat;
        var values = new Dictionary<string, string>(common, StringComparer.Ordinal)
        {
            ["variant"] = variant,
            ["arch"] = arch == "src" ? "source" : arch,
            ["disc_type"] = discType,
            ["disc_num"] = discNum is null or 0 ? "" : discNum.Value.ToString(CultureInfo.InvariantCulture),
            ["suffix"] = suffix,
        };
        return Substitute(format, values);
    }

    /// <summary>
    /// <c>get_volid</c>: the first candidate that is at most 32 characters once substituted and after
    /// <c>volume_id_substitutions</c> (longest key first); formats spelling <c>%(variant)s</c> are skipped without a
    /// variant (the <c>{variant}</c> spelling is not checked and gives "None", as upstream). <c>restricted_volid</c>
    /// then turns every character outside [A-Za-z0-9_] into '-'. Null when every format was skipped.
    /// </summary>
    public static string? GetVolumeId(VolumeIdRequest r)
    {
        IReadOnlyList<string> formats = r.Formats
            ?? (r.Layered ? [.. r.LayeredFormats ?? DefaultLayeredVolidFormats, .. r.VolidFormats ?? DefaultVolidFormats] : r.VolidFormats ?? DefaultVolidFormats);
        var values = new Dictionary<string, string>(r.Common, StringComparer.Ordinal)
        {
            ["variant"] = r.Variant ?? "None",
            ["release_short"] = r.ReleaseShort,
            ["version"] = r.ReleaseVersion,
            ["arch"] = r.Arch,
            ["disc_type"] = r.DiscType ?? "",
            ["base_product_short"] = r.BaseProductShort ?? "None",
            ["base_product_version"] = r.BaseProductVersion ?? "None",
        };
        foreach (var kv in r.Extra ?? new Dictionary<string, string>()) values[kv.Key] = kv.Value;
        var substitutions = r.Substitutions.Select((kv, i) => (kv, i)).OrderByDescending(x => x.kv.Key.Length).ThenBy(x => x.i).Select(x => x.kv).ToList();
        string? volid = null;
        var tried = new List<string>();
        foreach (var format in formats)
        {
            if (r.Variant is null && format.Contains("%(variant)s", StringComparison.Ordinal)) continue;
            volid = Substitute(format, values);
            foreach (var (key, value) in substitutions) volid = volid.Replace(key, value, StringComparison.Ordinal);
            if (volid.Length <= 32) break;
            tried.Add(volid);
        }
        if (volid is not null && volid.Length > 32)
            throw new PungiException(ErrorCodes.VolumeIdNoneFits, $"no volume ID format gives at most 32 characters for {r.Variant ?? "(no variant)"}.{r.Arch}; tried: {string.Join(", ", tried.Select(t => $"'{t}' ({t.Length})"))}");
        if (volid is not null && r.Restricted) volid = Regex.Replace(volid, "[^A-Za-z0-9_]", "-");
        return volid;
    }

    /// <summary>Spec §1.2: <c>(template % values).format(**values)</c>. An unknown key is an error.</summary>
    public static string Substitute(string template, IReadOnlyDictionary<string, string> values) => BraceFormat(PercentFormat(template, values), values, template);

    /// <summary>Python <c>%</c> with a mapping: <c>%(key)s</c> (also d/i/r), <c>%%</c>.</summary>
    internal static string PercentFormat(string s, IReadOnlyDictionary<string, string> values)
    {
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != '%') { sb.Append(s[i]); continue; }
            if (i + 1 < s.Length && s[i + 1] == '%') { sb.Append('%'); i++; continue; }
            if (i + 1 >= s.Length || s[i + 1] != '(')
                throw new PungiException(ErrorCodes.TemplateSyntax, $"template '{s}': '%' must be followed by '(key)s' or '%'");
            int close = s.IndexOf(')', i + 2);
            if (close < 0 || close + 1 >= s.Length || s[close + 1] is not ('s' or 'd' or 'i' or 'r'))
                throw new PungiException(ErrorCodes.TemplateSyntax, $"template '{s}': incomplete '%(key)s' at position {i}");
            string key = s[(i + 2)..close];
            if (!values.TryGetValue(key, out var v))
                throw new PungiException(ErrorCodes.TemplateUnknownKey, $"template '{s}': unknown key '{key}' (known: {string.Join(", ", values.Keys.Order(StringComparer.Ordinal))})");
            sb.Append(s[close + 1] == 'r' ? "'" + v + "'" : v);
            i = close + 1;
        }
        return sb.ToString();
    }

    /// <summary>Python <c>str.format</c> with keyword arguments: <c>{key}</c>, <c>{key:spec}</c> (spec ignored), <c>{{</c>, <c>}}</c>.</summary>
    internal static string BraceFormat(string s, IReadOnlyDictionary<string, string> values, string original)
    {
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '{' && i + 1 < s.Length && s[i + 1] == '{') { sb.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < s.Length && s[i + 1] == '}') { sb.Append('}'); i++; continue; }
            if (c == '}') throw new PungiException(ErrorCodes.TemplateSyntax, $"template '{original}': single '}}' encountered");
            if (c != '{') { sb.Append(c); continue; }
            int close = s.IndexOf('}', i + 1);
            if (close < 0) throw new PungiException(ErrorCodes.TemplateSyntax, $"template '{original}': single '{{' encountered");
            string field = s[(i + 1)..close];
            int colon = field.IndexOfAny([':', '!']);
            string key = colon >= 0 ? field[..colon] : field;
            if (key.Length == 0) throw new PungiException(ErrorCodes.TemplateSyntax, $"template '{original}': positional '{{}}' needs a key name");
            if (!values.TryGetValue(key, out var v))
                throw new PungiException(ErrorCodes.TemplateUnknownKey, $"template '{original}': unknown key '{key}' (known: {string.Join(", ", values.Keys.Order(StringComparer.Ordinal))})");
            sb.Append(v);
            i = close;
        }
        return sb.ToString();
    }
}
