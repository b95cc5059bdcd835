using System.Text.Json;
using System.Text.Json.Nodes;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.OSTree;

/// <summary>
/// An rpm-ostree treefile (JSON, or YAML read by <see cref="TreefileYaml"/>), the keys the local backend honours (README.md lists them): <c>ref</c>
/// (<c>${basearch}</c> substituted), <c>packages</c> and <c>packages-&lt;basearch&gt;</c> (entries split at
/// whitespace, as rpm-ostree does), <c>exclude-packages</c>, <c>include</c> (a path or a list, relative to the
/// including file; rpm-ostree's merge: the includer's scalar values win, lists are the included file's first) and
/// <c>repos</c> (read and reported; the packages come from the compose, see <see cref="OstreeComposer"/>).
/// Every other key is kept in <see cref="IgnoredKeys"/> so the phase can warn about it.
/// </summary>
public sealed class Treefile
{
    private static readonly string[] ListKeys = ["packages", "exclude-packages", "repos"];

    public string? Ref { get; private init; }
    public IReadOnlyList<string> Packages { get; private init; } = [];
    public IReadOnlyList<string> ExcludePackages { get; private init; } = [];
    public IReadOnlyList<string> Repos { get; private init; } = [];
    public IReadOnlyList<string> IgnoredKeys { get; private init; } = [];

    /// <summary>Loads <paramref name="path"/> with its includes, for <paramref name="basearch"/>.</summary>
    public static Treefile Load(string path, string basearch)
    {
        var merged = LoadMerged(Path.GetFullPath(path), []);
        var packages = new List<string>();
        packages.AddRange(Strings(merged, "packages", path));
        packages.AddRange(Strings(merged, "packages-" + basearch, path));
        var ignored = merged.Select(kv => kv.Key)
            .Where(k => k is not ("ref" or "packages" or "exclude-packages" or "repos" or "include") && !k.StartsWith("packages-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        string? reference = merged["ref"] is JsonValue r && r.TryGetValue<string>(out var s) ? s : null;
        if (merged["ref"] is not null && reference is null)
            throw Invalid(path, "'ref' must be a string");
        return new Treefile
        {
            Ref = reference?.Replace("${basearch}", basearch, StringComparison.Ordinal),
            Packages = Split(packages),
            ExcludePackages = Split(Strings(merged, "exclude-packages", path)),
            Repos = Strings(merged, "repos", path),
            IgnoredKeys = ignored,
        };
    }

    private static JsonObject LoadMerged(string path, List<string> stack)
    {
        if (stack.Contains(path))
            throw new PungiException(ErrorCodes.OstreeIncludeCycle, $"Treefile include cycle: {string.Join(" -> ", stack.Append(path))}", path);
        if (!File.Exists(path))
            throw new PungiException(ErrorCodes.OstreeTreefileMissing,
                stack.Count == 0 ? $"Treefile {path} does not exist." : $"Treefile {path}, included from {stack[^1]}, does not exist.",
                stack.Count == 0 ? path : stack[^1]);
        var own = ReadJson(path);
        var includes = IncludesOf(own, path);
        stack.Add(path);
        var result = new JsonObject();
        foreach (var inc in includes)
            Merge(result, LoadMerged(Path.GetFullPath(inc, Path.GetDirectoryName(path)!), stack));
        stack.RemoveAt(stack.Count - 1);
        Merge(result, own);
        result.Remove("include");
        return result;
    }

    /// <summary>The <c>include</c> entries of one JSON treefile as written (relative to its directory), not followed.</summary>
    public static IReadOnlyList<string> Includes(string path) => IncludesOf(ReadJson(path), path);

    /// <summary>
    /// Upstream's <c>get_ref_from_treefile</c>: the top file's own <c>ref</c> (includes are not followed), with
    /// <c>${basearch}</c> substituted; null when the file cannot be read or has no string <c>ref</c>.
    /// </summary>
    public static string? TopLevelRef(string path, string basearch)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return ReadJson(path)["ref"] is JsonValue v && v.TryGetValue<string>(out var r) ? r.Replace("${basearch}", basearch, StringComparison.Ordinal) : null;
        }
        catch (PungiException)
        {
            return null;
        }
    }

    /// <summary>One treefile as a JSON object: rpm-ostree takes <c>.yaml</c>/<c>.yml</c> as YAML, anything else as JSON.</summary>
    private static JsonObject ReadJson(string path)
    {
        if (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            return TreefileYaml.Read(path);
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw Invalid(path, "the top level is not an object");
        }
        catch (JsonException e)
        {
            throw new PungiException(ErrorCodes.OstreeTreefileInvalid, $"Treefile {path} is not valid JSON: {e.Message}", path,
                (int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1);
        }
    }

    private static List<string> IncludesOf(JsonObject own, string path)
        => own["include"] switch
        {
            null => [],
            JsonValue v when v.TryGetValue<string>(out var one) => [one],
            JsonArray a => a.Select(x => x is JsonValue xv && xv.TryGetValue<string>(out var s) ? s : throw Invalid(path, "'include' entries must be strings")).ToList(),
            _ => throw Invalid(path, "'include' must be a string or a list of strings"),
        };

    /// <summary>rpm-ostree's treefile merge: lists (package-like keys) concatenate, base first; other keys the later file wins.</summary>
    private static void Merge(JsonObject into, JsonObject from)
    {
        foreach (var (key, value) in from)
        {
            if (key == "include") continue;
            bool list = ListKeys.Contains(key) || key.StartsWith("packages-", StringComparison.Ordinal);
            if (list && into[key] is JsonArray existing && value is JsonArray more)
                foreach (var item in more) existing.Add(item?.DeepClone());
            else
                into[key] = value?.DeepClone();
        }
    }

    private static List<string> Strings(JsonObject o, string key, string path)
        => o[key] switch
        {
            null => [],
            JsonArray a => a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Invalid(path, $"'{key}' entries must be strings")).ToList(),
            _ => throw Invalid(path, $"'{key}' must be a list of strings"),
        };

    /// <summary>rpm-ostree splits every package entry at whitespace ("foo bar" is two packages).</summary>
    private static List<string> Split(IEnumerable<string> entries)
        => entries.SelectMany(e => e.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToList();

    private static PungiException Invalid(string path, string what)
        => new(ErrorCodes.OstreeTreefileInvalid, $"Treefile {path}: {what}.", path);
}
