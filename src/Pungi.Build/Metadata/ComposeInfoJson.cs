using System.Text.Json.Nodes;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Variants;

namespace Pungi.Build.Metadata;

/// <summary>One variant entry of composeinfo.json (flat, keyed by UID; spec §6.1).</summary>
public sealed record ComposeInfoVariant
{
    public required string Uid { get; init; }
    /// <summary>Dashes removed for top-level variants.</summary>
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Type { get; init; }
    public IReadOnlyList<string> Arches { get; init; } = [];
    /// <summary>Path category (<c>os_tree</c>, <c>packages</c>, …) → arch → path relative to <c>compose/</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Paths { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
    /// <summary>Ids of the child variants.</summary>
    public IReadOnlyList<string> Children { get; init; } = [];
    /// <summary>A layered product's own release (written with <c>is_layered: true</c>).</summary>
    public ReleaseInfo? Release { get; init; }
}

/// <summary>The content of composeinfo.json.</summary>
public sealed record ComposeInfoDocument(ComposeInfo Compose, IReadOnlyList<ComposeInfoVariant> Variants);

/// <summary>
/// <c>compose/metadata/composeinfo.json</c> (productmd.composeinfo 1.2, spec §6.1): built from the compose and its
/// variants, written exactly as productmd dumps it, and read back (also productmd's older 0.x/1.0/1.1 files).
/// </summary>
public static class ComposeInfoJson
{
    public const string HeaderType = "productmd.composeinfo";

    /// <summary>Every path category productmd knows, in its order (<c>identity</c> is never set by Pungi).</summary>
    public static IReadOnlyList<string> PathCategories { get; } =
    [
        "os_tree", "packages", "repository", "isos", "images", "jigdos", "source_tree", "source_packages",
        "source_repository", "source_isos", "source_jigdos", "debug_tree", "debug_packages", "debug_repository", "identity",
    ];

    /// <summary>
    /// Pungi <c>metadata.write_compose_info</c>: paths of every variant per arch. <c>isos</c>, <c>images</c>,
    /// <c>jigdos</c> (and source ones) only when their directory exists; for top-level variants every path whose
    /// directory does not exist is dropped, while children keep all computed os/source/debug paths (upstream's
    /// existence filter only walks top-level variants). <paramref name="directoryExists"/> defaults to the disk.
    /// </summary>
    public static ComposeInfoDocument FromCompose(ComposeInfo compose, VariantModel variants, ComposeLayout layout,
        bool createOptionalIsos = false, Func<string, bool>? directoryExists = null)
    {
        var exists = directoryExists ?? Directory.Exists;
        var result = new List<ComposeInfoVariant>();
        foreach (var v in variants.All)
        {
            var paths = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            void Add(string category, string arch, string? path, bool mustExist)
            {
                if (path is null || (mustExist && !exists(path)))
                    return;
                if (!paths.TryGetValue(category, out var byArch))
                    paths[category] = byArch = new Dictionary<string, string>(StringComparer.Ordinal);
                byArch[arch] = layout.RelativeToCompose(path);
            }
            var topLevel = v.Parent is null;
            foreach (var arch in v.Arches)
            {
                Add("os_tree", arch, layout.OsTree(v, arch), topLevel);
                Add("packages", arch, layout.Packages(v, arch), topLevel);
                Add("repository", arch, layout.Repository(v, arch), topLevel);
                Add("isos", arch, layout.IsoDir(v, arch, createOptionalIsos), true);
                Add("images", arch, layout.ImageDir(v, arch), true);
                Add("jigdos", arch, layout.JigdoDir(v, arch, createOptionalIsos), true);
                Add("source_tree", arch, layout.OsTree(v, "src"), topLevel);
                Add("source_packages", arch, layout.Packages(v, "src"), topLevel);
                Add("source_repository", arch, layout.Repository(v, "src"), topLevel);
                Add("source_isos", arch, layout.IsoDir(v, "src", createOptionalIsos), true);
                Add("source_jigdos", arch, layout.JigdoDir(v, "src", createOptionalIsos), true);
                Add("debug_tree", arch, layout.DebugTree(v, arch), topLevel);
                Add("debug_packages", arch, layout.DebugPackages(v, arch), topLevel);
                Add("debug_repository", arch, layout.DebugRepository(v, arch), topLevel);
            }
            result.Add(new ComposeInfoVariant
            {
                Uid = v.Uid,
                Id = v.MetadataId,
                Name = v.Name,
                Type = v.Type.ToName(),
                Arches = v.Arches,
                Paths = paths.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, string>)kv.Value, StringComparer.Ordinal),
                Children = v.Children.Select(c => c.Id).Order(StringComparer.Ordinal).ToList(),
                Release = v.Release is { } r ? new ReleaseInfo(r.Name, r.Short, r.Version) : null,
            });
        }
        return new ComposeInfoDocument(compose, result);
    }

    /// <summary><c>work/global/composeinfo-base.json</c>: the same format with no variants.</summary>
    public static ComposeInfoDocument Base(ComposeInfo compose) => new(compose, []);

    public static JsonObject ToJson(ComposeInfoDocument doc)
    {
        var payload = new JsonObject
        {
            ["compose"] = ProductmdJson.ComposeObject(ComposeHeader.From(doc.Compose)),
            ["release"] = ReleaseObject(doc.Compose.Release, doc.Compose.IsLayered),
        };
        if (doc.Compose.BaseProduct is { } bp)
            payload["base_product"] = new JsonObject { ["name"] = bp.Name, ["short"] = bp.Short, ["version"] = bp.Version, ["type"] = bp.Type };
        var variants = new JsonObject();
        foreach (var v in doc.Variants)
        {
            var arches = v.Arches.Order(StringComparer.Ordinal).ToList();
            if (arches.Count == 0)
                throw new PungiException(ErrorCodes.MetadataInvalid, $"composeinfo variant '{v.Uid}' has no arches.");
            var obj = new JsonObject
            {
                ["arches"] = new JsonArray(arches.Select(a => (JsonNode)a).ToArray()),
                ["id"] = v.Id,
                ["name"] = v.Name,
                ["type"] = v.Type,
                ["uid"] = v.Uid,
            };
            var paths = new JsonObject();
            foreach (var (category, byArch) in v.Paths)
            {
                if (byArch.Count == 0)
                    continue;
                var cat = new JsonObject();
                foreach (var (arch, path) in byArch)
                    cat[arch] = path;
                paths[category] = cat;
            }
            obj["paths"] = paths;
            if (v.Release is { } r)
                obj["release"] = ReleaseObject(r, layered: true);
            if (v.Children.Count > 0)
                obj["variants"] = new JsonArray(v.Children.Order(StringComparer.Ordinal).Select(c => (JsonNode)c).ToArray());
            variants[v.Uid] = obj;
        }
        payload["variants"] = variants;
        return new JsonObject { ["header"] = ProductmdJson.Header(HeaderType), ["payload"] = payload };
    }

    private static JsonObject ReleaseObject(ReleaseInfo release, bool layered)
    {
        var obj = new JsonObject
        {
            ["internal"] = release.Internal,
            ["name"] = release.Name,
            ["short"] = release.Short,
            ["type"] = release.Type,
            ["version"] = release.Version,
        };
        if (layered)
            obj["is_layered"] = true;
        return obj;
    }

    public static string Serialize(ComposeInfoDocument doc) => ProductmdJson.Serialize(ToJson(doc));

    /// <summary>Writes <c>composeinfo.json</c> atomically when its content changed; returns whether it wrote.</summary>
    public static bool Write(string path, ComposeInfoDocument doc) => AtomicFile.WriteIfChanged(path, Serialize(doc));

    public static ComposeInfoDocument Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>
    /// Reads composeinfo.json of any productmd version; 0.x files call the release <c>product</c> (productmd
    /// up-converts them the same way).
    /// </summary>
    public static ComposeInfoDocument Parse(string text, string? file = null)
    {
        var root = ProductmdJson.Parse(text, file);
        var (major, _) = ProductmdJson.ReadHeader(root, HeaderType, file);
        var payload = root["payload"] as JsonObject
            ?? throw new PungiException(ErrorCodes.MetadataInvalid, "composeinfo has no 'payload'.", file);
        var releaseObj = (payload[major == 0 ? "product" : "release"] ?? payload["release"]) as JsonObject
            ?? throw new PungiException(ErrorCodes.MetadataInvalid, "composeinfo has no 'release'.", file);
        var release = ReadRelease(releaseObj, file);
        ReleaseInfo? baseProduct = null;
        if (payload["base_product"] is JsonObject bpObj && (releaseObj["is_layered"]?.GetValue<bool>() ?? true))
            baseProduct = ReadRelease(bpObj, file);
        var header = ProductmdJson.ReadCompose(payload["compose"] as JsonObject, file);
        var compose = new ComposeInfo
        {
            Release = release,
            BaseProduct = baseProduct,
            Id = header.Id,
            Type = header.Type,
            Date = header.Date,
            Respin = header.Respin,
            Label = header.Label is null ? null : ComposeLabel.Parse(header.Label, file),
            Final = header.Final,
        };

        var variants = new List<ComposeInfoVariant>();
        if (payload["variants"] is JsonObject vs)
        {
            foreach (var (uid, node) in vs)
            {
                if (node is not JsonObject v)
                    throw new PungiException(ErrorCodes.MetadataInvalid, $"composeinfo variant '{uid}' is not an object.", file);
                var paths = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
                if (v["paths"] is JsonObject p)
                    foreach (var (category, byArch) in p)
                        if (byArch is JsonObject ba)
                            paths[category] = ba.ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal);
                var children = (v["variants"] as JsonArray)?.Select(c => (string)c!).ToList() ?? [];
                variants.Add(new ComposeInfoVariant
                {
                    Uid = (string?)v["uid"] ?? uid,
                    Id = (string?)v["id"] ?? uid,
                    Name = (string?)v["name"] ?? "",
                    Type = (string?)v["type"] ?? "variant",
                    Arches = (v["arches"] as JsonArray)?.Select(a => (string)a!).ToList() ?? [],
                    Paths = paths,
                    Children = children,
                    Release = v["release"] is JsonObject r ? ReadRelease(r, file) : null,
                });
            }
        }
        // Old files list only the top level; children are recorded by their parents' "variants" ids.
        return new ComposeInfoDocument(compose, variants);
    }

    private static ReleaseInfo ReadRelease(JsonObject obj, string? file)
        => new((string?)obj["name"] ?? throw new PungiException(ErrorCodes.MetadataInvalid, "release has no 'name'.", file),
            (string?)obj["short"] ?? throw new PungiException(ErrorCodes.MetadataInvalid, "release has no 'short'.", file),
            (string?)obj["version"] ?? throw new PungiException(ErrorCodes.MetadataInvalid, "release has no 'version'.", file),
            (string?)obj["type"] ?? "ga",
            obj["internal"]?.GetValue<bool>() ?? false);
}
