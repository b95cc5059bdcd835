using System.Text.Json;
using System.Text.Json.Serialization;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Iso;

/// <summary>One image a variant.arch instance made: what images.json needs, checksums included.</summary>
public sealed record CreateisoImage
{
    /// <summary>Relative to <c>compose/</c>.</summary>
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("size")] public long Size { get; init; }
    [JsonPropertyName("mtime")] public long Mtime { get; init; }
    [JsonPropertyName("volume_id")] public string? VolumeId { get; init; }
    [JsonPropertyName("type")] public string Type { get; init; } = "dvd";
    [JsonPropertyName("format")] public string Format { get; init; } = "iso";
    [JsonPropertyName("arch")] public required string Arch { get; init; }
    [JsonPropertyName("disc_number")] public int DiscNumber { get; init; } = 1;
    [JsonPropertyName("disc_count")] public int DiscCount { get; init; } = 1;
    [JsonPropertyName("implant_md5")] public string? ImplantMd5 { get; init; }
    [JsonPropertyName("bootable")] public bool Bootable { get; init; }
    [JsonPropertyName("subvariant")] public string Subvariant { get; init; } = "";
    [JsonPropertyName("checksums")] public Dictionary<string, string> Checksums { get; init; } = new(StringComparer.Ordinal);
    /// <summary>ExtraIsos images: <c>unified: true</c> and the included variants (spec §2.9).</summary>
    [JsonPropertyName("unified")] public bool Unified { get; init; }
    [JsonPropertyName("additional_variants")] public IReadOnlyList<string>? AdditionalVariants { get; init; }
}

/// <summary>
/// <c>work/&lt;arch&gt;/createiso/&lt;variant&gt;.json</c>: the images of one variant.arch for images.json. Source images are
/// listed under every binary arch of the variant (<see cref="TreeArches"/>), as Pungi adds them.
/// </summary>
public sealed record CreateisoRecord
{
    [JsonPropertyName("variant")] public required string Variant { get; init; }
    [JsonPropertyName("arch")] public required string Arch { get; init; }
    [JsonPropertyName("tree_arches")] public IReadOnlyList<string> TreeArches { get; init; } = [];
    [JsonPropertyName("images")] public IReadOnlyList<CreateisoImage> Images { get; init; } = [];

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static string PathFor(ComposeLayout layout, string arch, string variantUid)
        => System.IO.Path.Combine(layout.WorkTopdir(arch), "createiso", variantUid + ".json");

    /// <summary><c>work/&lt;arch&gt;/extraiso/&lt;variant&gt;.json</c>: the ExtraIsos images of one variant.arch.</summary>
    public static string ExtraIsoPathFor(ComposeLayout layout, string arch, string variantUid)
        => System.IO.Path.Combine(layout.WorkTopdir(arch), "extraiso", variantUid + ".json");

    /// <summary><c>work/&lt;arch&gt;/ostree_installer-images/&lt;variant&gt;.json</c>: the OSTreeInstaller image of one variant.arch.</summary>
    public static string OstreeInstallerPathFor(ComposeLayout layout, string arch, string variantUid)
        => System.IO.Path.Combine(layout.WorkTopdir(arch), "ostree_installer-images", variantUid + ".json");

    public static CreateisoRecord? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<CreateisoRecord>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new PungiException(ErrorCodes.ImageRecordInvalid, $"{path}: not a Createiso image record ({e.Message}); delete it and rebuild.", path);
        }
    }

    /// <summary>Always rewrites: the file's time is what wakes ImageChecksum, also when the image list became empty.</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, JsonSerializer.Serialize(this, Options));
    }
}
