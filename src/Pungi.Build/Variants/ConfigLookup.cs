using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Variants;

/// <summary>One entry of a mapping-shaped option: <c>(variant_regex, {arch_or_*: value})</c> flattened to a triple.</summary>
public sealed record VariantArchValue<T>(string VariantPattern, string Arch, T Value, SourceLocation Where = default);

/// <summary>
/// Pungi's config lookup helpers (spec §1.7, <c>pungi/util.py</c>), over the item triples MSBuild gives us.
/// Variant regexes match as Python's <c>re.match</c>: anchored at the start only, not at the end.
/// </summary>
public static class ConfigLookup
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>get_arch_variant_data</c>: values of every entry (in order) whose regex re.matches the variant UID (all
    /// entries when <paramref name="variantUid"/> is null) and whose arch is <paramref name="arch"/> or <c>*</c>;
    /// <c>*</c> never matches <c>src</c>. Pungi callers then test <c>== [True]</c>, take the last, or <c>any</c>.
    /// </summary>
    public static List<T> GetArchVariantData<T>(IEnumerable<VariantArchValue<T>> entries, string arch, string? variantUid)
    {
        var result = new List<T>();
        foreach (var e in entries)
        {
            if (variantUid is not null && !PythonReMatch(e.VariantPattern, variantUid, e.Where))
                continue;
            if (ArchMatches(e.Arch, arch))
                result.Add(e.Value);
        }
        return result;
    }

    /// <summary><c>get_variant_data</c> for <c>{variant_regex: value_or_list}</c>: values of every matching entry, in order.</summary>
    public static List<T> GetVariantData<T>(IEnumerable<(string VariantPattern, T Value)> entries, string? variantUid)
        => entries.Where(e => variantUid is null || PythonReMatch(e.VariantPattern, variantUid, default)).Select(e => e.Value).ToList();

    /// <summary><c>get_arch_data</c> for <c>{arch|*: list}</c> (multilib white/blacklists); <c>*</c> never matches <c>src</c>.</summary>
    public static List<T> GetArchData<T>(IEnumerable<(string Arch, T Value)> entries, string arch)
        => entries.Where(e => ArchMatches(e.Arch, arch)).Select(e => e.Value).ToList();

    /// <summary>An entry's arch key matches when it equals the arch, or is <c>*</c> and the arch is not <c>src</c>.</summary>
    public static bool ArchMatches(string key, string arch) => key == arch || (key == "*" && arch != "src");

    /// <summary>
    /// Python <c>re.match(pattern, value)</c>: true when the pattern matches at the start of the value (a match
    /// need not reach the end: <c>Server</c> matches <c>Server-optional</c>).
    /// </summary>
    public static bool PythonReMatch(string pattern, string value, SourceLocation where = default)
    {
        var regex = Cache.GetOrAdd(pattern, p =>
        {
            try
            {
                return new Regex(@"\A(?:" + TranslatePython(p) + ")", RegexOptions.CultureInvariant);
            }
            catch (ArgumentException ex)
            {
                throw new PungiException(ErrorCodes.BadVariantPattern, $"Variant pattern '{p}' is not a valid regular expression: {ex.Message}",
                    where.File, where.Line, where.Column, ex);
            }
        });
        return regex.IsMatch(value);
    }

    /// <summary>
    /// The patterns that match no variant UID (Pungi warns about such config entries, <c>phases/base.py</c>).
    /// </summary>
    public static List<string> UnmatchedPatterns(IEnumerable<string> patterns, VariantModel model)
        => patterns.Distinct().Where(p => !model.All.Any(v => PythonReMatch(p, v.Uid))).ToList();

    /// <summary>The Python-only spellings of named groups become .NET's.</summary>
    private static string TranslatePython(string pattern)
        => Regex.Replace(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), @"\(\?P=(\w+)\)", @"\k<$1>");

    /// <summary>
    /// <c>translate_path</c>: the first <c>(prefix, new_prefix)</c> pair whose prefix the normalised path starts with
    /// replaces that prefix (new prefix without trailing '/'); otherwise the path is returned normalised.
    /// </summary>
    public static string TranslatePath(string path, IEnumerable<(string Prefix, string NewPrefix)> translatePaths)
    {
        var normpath = NormPath(path);
        foreach (var (prefix, newPrefix) in translatePaths)
        {
            if (normpath.StartsWith(prefix, StringComparison.Ordinal))
                return newPrefix.TrimEnd('/') + normpath[prefix.Length..];
        }
        return normpath;
    }

    /// <summary>Python <c>os.path.normpath</c> for POSIX paths.</summary>
    public static string NormPath(string path)
    {
        if (path.Length == 0)
            return ".";
        var leading = path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("///", StringComparison.Ordinal) ? 2 : path.StartsWith('/') ? 1 : 0;
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
                continue;
            var keepDotDot = (leading == 0 && parts.Count == 0) || (parts.Count > 0 && parts[^1] == "..");
            if (part == ".." && !keepDotDot)
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        var result = new string('/', leading) + string.Join('/', parts);
        return result.Length == 0 ? "." : result;
    }
}
