using System.Text.Json;
using Pungi.Build.Diagnostics;
using Pungi.Build.Metadata;
using Pungi.Build.Rpm;

namespace Pungi.Build.Report;

/// <summary>One package of rpms.json: its NEVRA split, its category and its path relative to <c>compose/</c>.</summary>
public sealed record PackageRef(string Name, Evr Evr, string Arch, string Nevra, string Category, string Path)
{
    /// <summary><c>name-[epoch:]version-release.arch</c> as release engineers write it (epoch only when not 0).</summary>
    public string Display => $"{Name}-{(Evr.Epoch is null or "" or "0" ? "" : Evr.Epoch + ":")}{Evr.Version}-{Evr.Release}.{Arch}";
}

/// <summary>One image of images.json: identity fields (productmd's uniqueness key), path and size.</summary>
public sealed record ImageRef(string Type, string Format, string Arch, string Subvariant, int DiscNumber, bool Unified,
    string AdditionalVariants, string Path, long Size)
{
    /// <summary>
    /// productmd's image identity (<c>Images.add</c> rejects two with equal subvariant, type, format, arch, disc_number,
    /// unified and additional_variants): the same key in two composes is the same deliverable, whatever its file name.
    /// </summary>
    public string Key => $"{Subvariant}|{Type}|{Format}|{Arch}|{DiscNumber}|{Unified}|{AdditionalVariants}";
}

/// <summary>
/// The package and image lists of one compose, read leniently from <c>compose/metadata/rpms.json</c> and
/// <c>images.json</c> as upstream Pungi (productmd 1.0–1.2) or this port writes them: only the fields a diff needs are
/// read, unknown ones are ignored, so any compose tree can be compared.
/// </summary>
public sealed class ComposeManifest
{

    public string? ComposeId { get; private set; }
    public string? Status { get; private set; }
    /// <summary>The <c>compose/</c> directory the metadata describes (paths in the lists are relative to it).</summary>
    public required string ComposeDir { get; init; }
    public bool HasRpms { get; private set; }
    public bool HasImages { get; private set; }
    /// <summary>variant.arch → packages (binary, debug and source as rpms.json files them); empty unless <see cref="PackagesLoaded"/>.</summary>
    public SortedDictionary<string, List<PackageRef>> Packages { get; } = new(StringComparer.Ordinal);
    /// <summary>variant.arch → its packages by category (every variant.arch of rpms.json, also when the packages were not loaded).</summary>
    public SortedDictionary<string, CategoryCounts> Counts { get; private set; } = new(StringComparer.Ordinal);
    /// <summary>False when only <see cref="Counts"/> were taken from rpms.json (see <see cref="Load(string, string?)"/>).</summary>
    public bool PackagesLoaded { get; private set; } = true;
    /// <summary>variant.arch → composeinfo.json path category (<c>repository</c>, <c>os_tree</c>, <c>isos</c>, …) → path under compose/.</summary>
    public SortedDictionary<string, SortedDictionary<string, string>> Paths { get; } = new(StringComparer.Ordinal);
    /// <summary>variant.arch → images.</summary>
    public SortedDictionary<string, List<ImageRef>> Images { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Finds the metadata of <paramref name="path"/>: a compose top directory (with <c>compose/metadata/</c>), its
    /// <c>compose/</c> directory or the <c>metadata/</c> directory itself; a <c>latest-…</c> link works as any path.
    /// </summary>
    public static ComposeManifest Load(string path) => Load(path, null);

    /// <summary>
    /// As <see cref="Load(string)"/>; with <paramref name="rpmsCounts"/> (an <see cref="RpmsCounts"/> file) that holds the
    /// counts of this rpms.json's bytes, only <see cref="Counts"/> and the compose ID are taken from it and its packages
    /// are not parsed (<see cref="PackagesLoaded"/> is false): what the report needs when it has nothing to compare with.
    /// </summary>
    public static ComposeManifest Load(string path, string? rpmsCounts)
    {
        var full = Path.GetFullPath(path);
        string? metadata = null;
        foreach (var candidate in new[] { Path.Combine(full, "compose", "metadata"), Path.Combine(full, "metadata"), full })
            if (File.Exists(Path.Combine(candidate, "rpms.json")) || File.Exists(Path.Combine(candidate, "images.json"))
                || File.Exists(Path.Combine(candidate, "composeinfo.json")))
            {
                metadata = candidate;
                break;
            }
        if (metadata is null)
            throw new PungiException(ErrorCodes.ReportNoMetadata,
                $"{path} is not a compose: no compose/metadata/rpms.json, images.json or composeinfo.json under it.", path);
        var composeDir = Path.GetDirectoryName(metadata)!;
        var manifest = new ComposeManifest { ComposeDir = composeDir };
        var topdir = Path.GetDirectoryName(composeDir)!;
        manifest.Status = Compose.ComposeStatus.Read(topdir);
        var idFile = Path.Combine(topdir, "COMPOSE_ID");
        if (File.Exists(idFile)) manifest.ComposeId = File.ReadAllText(idFile).Trim();

        var composeinfo = Path.Combine(metadata, "composeinfo.json");
        if (File.Exists(composeinfo)) manifest.ReadComposeInfo(composeinfo);
        var rpms = Path.Combine(metadata, "rpms.json");
        if (File.Exists(rpms))
        {
            if (rpmsCounts is not null && RpmsCounts.TryLoad(rpmsCounts, rpms, out var id) is { } counts)
            {
                manifest.HasRpms = true;
                manifest.ComposeId ??= id;
                manifest.Counts = counts;
                manifest.PackagesLoaded = false;
            }
            else manifest.ReadRpms(rpms);
        }
        var images = Path.Combine(metadata, "images.json");
        if (File.Exists(images)) manifest.ReadImages(images);
        return manifest;
    }

    private static JsonDocument Open(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 65536);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new PungiException(ErrorCodes.MetadataMalformed, $"{file} is not valid JSON: {e.Message}", file, (int)(e.LineNumber ?? -1) + 1);
        }
    }

    private static JsonElement Payload(JsonDocument doc, string file, string type)
    {
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            throw new PungiException(ErrorCodes.MetadataInvalid, $"{file} has no 'payload' object; is it a productmd {type} file?", file);
        if (root.TryGetProperty("header", out var header) && header.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            && t.GetString() != type)
            throw new PungiException(ErrorCodes.MetadataInvalid, $"{file} is a {t.GetString()} file, not {type}.", file);
        return payload;
    }

    private void ReadId(JsonElement payload)
    {
        if (payload.TryGetProperty("compose", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("id", out var id)
            && id.ValueKind == JsonValueKind.String)
            ComposeId ??= id.GetString();
    }

    private void ReadRpms(string file)
    {
        using var doc = Open(file);
        var payload = Payload(doc, file, "productmd.rpms");
        ReadId(payload);
        HasRpms = true;
        if (!payload.TryGetProperty("rpms", out var variants) || variants.ValueKind != JsonValueKind.Object) return;
        foreach (var variant in variants.EnumerateObject())
            foreach (var arch in Objects(variant.Value))
            {
                var list = new List<PackageRef>();
                foreach (var srpm in Objects(arch.Value))
                    foreach (var rpm in Objects(srpm.Value))
                    {
                        if (SplitNevra(rpm.Name) is not var (name, epoch, version, release, rpmArch))
                            throw new PungiException(ErrorCodes.MetadataInvalid, $"{file}: '{rpm.Name}' under {variant.Name}.{arch.Name} is not a NEVRA.", file);
                        string category = Str(rpm.Value, "category") ?? (rpmArch is "src" or "nosrc" ? "source" : "binary");
                        list.Add(new PackageRef(name, new Evr(epoch, version, release), rpmArch, rpm.Name, category, Str(rpm.Value, "path") ?? ""));
                    }
                Packages[$"{variant.Name}.{arch.Name}"] = list;
                Counts[$"{variant.Name}.{arch.Name}"] = CategoryCounts.Count(list.Select(p => p.Category));
            }
    }

    /// <summary>
    /// productmd's NEVRA split (spec §6.2, regex <c>^(.*/)?(?P&lt;name&gt;.*)-((?P&lt;epoch&gt;\d+):)?(?P&lt;version&gt;.*)-(?P&lt;release&gt;.*)\.(?P&lt;arch&gt;.*)$</c>)
    /// without the regex's backtracking: arch after the last dot, release and version before the last two dashes, an
    /// optional all-digit epoch before a colon (0 when missing, so older files still read). Null when it is no NEVRA.
    /// </summary>
    public static (string Name, string Epoch, string Version, string Release, string Arch)? SplitNevra(string nevra)
    {
        var s = nevra[(nevra.LastIndexOf('/') + 1)..];
        int dot = s.LastIndexOf('.');
        if (dot < 0) return null;
        int relDash = s.LastIndexOf('-', dot);
        if (relDash <= 0) return null;
        int verDash = s.LastIndexOf('-', relDash - 1);
        if (verDash < 0) return null;
        var evStart = verDash + 1;
        var version = s[evStart..relDash];
        var epoch = "0";
        int colon = version.IndexOf(':');
        if (colon > 0 && version.AsSpan(0, colon).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            epoch = version[..colon];
            version = version[(colon + 1)..];
        }
        return (s[..verDash], epoch, version, s[(relDash + 1)..dot], s[(dot + 1)..]);
    }

    private void ReadComposeInfo(string file)
    {
        using var doc = Open(file);
        var payload = Payload(doc, file, "productmd.composeinfo");
        ReadId(payload);
        if (!payload.TryGetProperty("variants", out var variants) || variants.ValueKind != JsonValueKind.Object) return;
        foreach (var variant in variants.EnumerateObject())
        {
            if (variant.Value.ValueKind != JsonValueKind.Object || !variant.Value.TryGetProperty("paths", out var paths)) continue;
            foreach (var category in Objects(paths))
                foreach (var arch in category.Value.EnumerateObject())
                    if (arch.Value.ValueKind == JsonValueKind.String)
                    {
                        var key = $"{Str(variant.Value, "uid") ?? variant.Name}.{arch.Name}";
                        if (!Paths.TryGetValue(key, out var map))
                            Paths[key] = map = new SortedDictionary<string, string>(StringComparer.Ordinal);
                        map[category.Name] = arch.Value.GetString()!;
                    }
        }
    }

    private void ReadImages(string file)
    {
        using var doc = Open(file);
        var payload = Payload(doc, file, "productmd.images");
        ReadId(payload);
        HasImages = true;
        if (!payload.TryGetProperty("images", out var variants) || variants.ValueKind != JsonValueKind.Object) return;
        foreach (var variant in variants.EnumerateObject())
            foreach (var arch in Objects(variant.Value))
            {
                var list = new List<ImageRef>();
                if (arch.Value.ValueKind == JsonValueKind.Array)
                    foreach (var i in arch.Value.EnumerateArray())
                    {
                        if (i.ValueKind != JsonValueKind.Object) continue;
                        var additional = i.TryGetProperty("additional_variants", out var av) && av.ValueKind == JsonValueKind.Array
                            ? string.Join(',', av.EnumerateArray().Select(x => x.ToString()).Order(StringComparer.Ordinal)) : "";
                        list.Add(new ImageRef(Str(i, "type") ?? "", Str(i, "format") ?? "", Str(i, "arch") ?? arch.Name,
                            Str(i, "subvariant") ?? "", (int)Int(i, "disc_number", 1),
                            i.TryGetProperty("unified", out var u) && u.ValueKind == JsonValueKind.True, additional,
                            Str(i, "path") ?? "", Int(i, "size", 0)));
                    }
                Images[$"{variant.Name}.{arch.Name}"] = list;
            }
    }

    private static IEnumerable<JsonProperty> Objects(JsonElement e)
        => e.ValueKind == JsonValueKind.Object ? e.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object || p.Value.ValueKind == JsonValueKind.Array) : [];

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Int(JsonElement e, string name, long fallback)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : fallback;
}
