using System.Text.Json.Nodes;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Metadata;

/// <summary>One extra file: path, size and checksums (type → hex).</summary>
public sealed record ExtraFileEntry(string File, long Size, IReadOnlyDictionary<string, string> Checksums);

/// <summary>
/// <c>compose/metadata/extra_files.json</c> (productmd.extra_files 1.2, spec §6.5): variant → arch (<c>src</c>
/// allowed here) → entries in insertion order, paths relative to <c>compose/</c>. The per-tree
/// <c>&lt;os tree&gt;/extra_files.json</c> is a different, minimal format: see <see cref="SerializeTree"/>.
/// </summary>
public sealed class ExtraFilesJson(ComposeHeader compose)
{
    public const string HeaderType = "productmd.extra_files";

    public ComposeHeader Compose { get; } = compose;

    public SortedDictionary<string, SortedDictionary<string, List<ExtraFileEntry>>> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>productmd <c>ExtraFiles.add</c>: known arch (src allowed), relative path, non-empty checksums.</summary>
    public void Add(string variant, string arch, ExtraFileEntry entry)
    {
        if (!ProductmdEnums.RpmArches.Contains(arch))
            throw new PungiException(ErrorCodes.MetadataInvalid, $"extra_files.json: unknown arch '{arch}'.");
        if (entry.File.StartsWith('/'))
            throw new PungiException(ErrorCodes.MetadataInvalid, $"extra_files.json: relative path expected: {entry.File}");
        if (entry.Checksums.Count == 0)
            throw new PungiException(ErrorCodes.MetadataInvalid, $"extra_files.json: {entry.File} has no checksums.");
        if (!Files.TryGetValue(variant, out var arches))
            Files[variant] = arches = new SortedDictionary<string, List<ExtraFileEntry>>(StringComparer.Ordinal);
        if (!arches.TryGetValue(arch, out var list))
            arches[arch] = list = [];
        list.Add(entry);
    }

    private static JsonObject EntryObject(ExtraFileEntry e)
    {
        var checksums = new JsonObject();
        foreach (var (k, v) in e.Checksums)
            checksums[k] = v;
        return new JsonObject { ["checksums"] = checksums, ["file"] = e.File, ["size"] = e.Size };
    }

    public JsonObject ToJson()
    {
        var files = new JsonObject();
        foreach (var (variant, arches) in Files)
        {
            var v = new JsonObject();
            foreach (var (arch, list) in arches)
                v[arch] = new JsonArray(list.Select(e => (JsonNode)EntryObject(e)).ToArray());
            files[variant] = v;
        }
        return new JsonObject
        {
            ["header"] = ProductmdJson.Header(HeaderType),
            ["payload"] = new JsonObject { ["compose"] = ProductmdJson.ComposeObject(Compose), ["extra_files"] = files },
        };
    }

    public string Serialize() => ProductmdJson.Serialize(ToJson());

    public bool Write(string path) => AtomicFile.WriteIfChanged(path, Serialize());

    public static ExtraFilesJson Read(string path) => Parse(File.ReadAllText(path), path);

    public static ExtraFilesJson Parse(string text, string? file = null)
    {
        var root = ProductmdJson.Parse(text, file);
        ProductmdJson.ReadHeader(root, HeaderType, file);
        var payload = root["payload"] as JsonObject ?? throw new PungiException(ErrorCodes.MetadataInvalid, "extra_files.json has no 'payload'.", file);
        var result = new ExtraFilesJson(ProductmdJson.ReadCompose(payload["compose"] as JsonObject, file));
        foreach (var (variant, arches) in (payload["extra_files"] as JsonObject) ?? [])
            foreach (var (arch, list) in (arches as JsonObject) ?? [])
                foreach (var e in (list as JsonArray) ?? [])
                    result.Add(variant, arch, ReadEntry(e as JsonObject, file));
        return result;
    }

    private static ExtraFileEntry ReadEntry(JsonObject? o, string? file)
        => o is null
            ? throw new PungiException(ErrorCodes.MetadataInvalid, "extra_files.json: an entry is not an object.", file)
            : new ExtraFileEntry((string?)o["file"] ?? throw new PungiException(ErrorCodes.MetadataInvalid, "extra_files.json: an entry has no 'file'.", file),
                o["size"]?.GetValue<long>() ?? 0,
                ((o["checksums"] as JsonObject) ?? []).ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal));

    /// <summary>
    /// The per-tree file (<c>&lt;os tree&gt;/extra_files.json</c>, also on ISOs): <c>{"data": [...], "header":
    /// {"version": "1.0"}}</c> with paths relative to the tree, same JSON formatting.
    /// </summary>
    public static string SerializeTree(IEnumerable<ExtraFileEntry> entries)
        => ProductmdJson.Serialize(new JsonObject
        {
            ["data"] = new JsonArray(entries.Select(e => (JsonNode)EntryObject(e)).ToArray()),
            ["header"] = new JsonObject { ["version"] = "1.0" },
        });

    public static IReadOnlyList<ExtraFileEntry> ParseTree(string text, string? file = null)
    {
        var root = ProductmdJson.Parse(text, file);
        return ((root["data"] as JsonArray) ?? []).Select(e => ReadEntry(e as JsonObject, file)).ToList();
    }
}
