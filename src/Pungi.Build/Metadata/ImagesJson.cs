using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Metadata;

/// <summary>One image of images.json (productmd <c>Image</c>).</summary>
public sealed record ImageEntry
{
    public required string Path { get; init; }
    public long Mtime { get; init; }
    public long Size { get; init; }
    public string? VolumeId { get; init; }
    public required string Type { get; init; }
    public required string Format { get; init; }
    /// <summary>The image's arch; <c>src</c> for source ISOs (which are filed under every binary arch).</summary>
    public required string Arch { get; init; }
    public int DiscNumber { get; init; } = 1;
    public int DiscCount { get; init; } = 1;
    /// <summary>Checksum type → lowercase hex; non-empty.</summary>
    public required IReadOnlyDictionary<string, string> Checksums { get; init; }
    public string? ImplantMd5 { get; init; }
    public bool Bootable { get; init; }
    public string Subvariant { get; init; } = "";
    public bool Unified { get; init; }
    public IReadOnlyList<string>? AdditionalVariants { get; init; }
}

/// <summary>
/// <c>compose/metadata/images.json</c> (productmd.images 1.2, spec §6.3): variant → arch → images sorted by path.
/// Reads 1.0–1.2 files; 1.0/1.1 source images filed under <c>src</c> are moved under every binary arch of the
/// variant, as productmd does when it loads them.
/// </summary>
public sealed class ImagesJson(ComposeHeader compose)
{
    public const string HeaderType = "productmd.images";

    private static readonly Regex Md5Regex = new("^[0-9a-f]{32}$", RegexOptions.CultureInvariant);

    /// <summary>productmd image types → formats (the union of formats is what validation checks, as productmd).</summary>
    public static IReadOnlyDictionary<string, string[]> TypeFormats { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["appx"] = ["appx"], ["boot"] = ["iso"], ["bootable-container"] = ["ociarchive"], ["cd"] = ["iso"],
        ["container"] = ["tar.xz", "oci", "ociarchive"], ["docker"] = ["tar.gz", "tar.xz"], ["dvd"] = ["iso"],
        ["dvd-debuginfo"] = ["iso"], ["dvd-ostree"] = ["iso"], ["dvd-ostree-osbuild"] = ["iso"], ["ec2"] = [],
        ["fex"] = ["erofs.xz", "erofs.gz", "erofs", "squashfs.xz", "squashfs.gz", "squashfs"], ["kvm"] = [], ["live"] = [],
        ["live-osbuild"] = ["iso"], ["liveimg-squashfs"] = ["liveimg.squashfs"], ["netinst"] = ["iso"],
        ["ociarchive"] = ["ociarchive"], ["p2v"] = [], ["qcow"] = ["qcow"], ["qcow2"] = ["qcow2"], ["raw"] = ["raw"],
        ["raw-xz"] = ["raw.xz"], ["rescue"] = [], ["rhevm-ova"] = ["rhevm.ova"], ["tar-gz"] = ["tar.gz"],
        ["vagrant-hyperv"] = ["vagrant-hyperv.box"], ["vagrant-libvirt"] = ["vagrant-libvirt.box"],
        ["vagrant-virtualbox"] = ["vagrant-virtualbox.box"], ["vagrant-vmware-fusion"] = ["vagrant-vmware-fusion.box"],
        ["vdi"] = ["vdi"], ["vmdk"] = ["vmdk"], ["vpc"] = ["vhd"], ["vhd-compressed"] = ["vhd.gz", "vhd.xz", "vhdfixed.xz"],
        ["vsphere-ova"] = ["vsphere.ova"], ["wsl2"] = ["tar", "tar.gz", "wsl"],
    };

    private static readonly HashSet<string> Formats = TypeFormats.Values.SelectMany(f => f).ToHashSet(StringComparer.Ordinal);

    public ComposeHeader Compose { get; } = compose;

    public SortedDictionary<string, SortedDictionary<string, List<ImageEntry>>> Images { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// productmd <c>Images.add</c> + <c>Image.validate</c>: tree arch not <c>src</c>; known type and format; relative
    /// path; non-empty checksums; <c>implant_md5</c> null or 32 lowercase hex; additional_variants only when unified;
    /// an image equal in (subvariant, type, format, arch, disc_number, unified, additional_variants) to one already
    /// listed but with other checksums is rejected.
    /// </summary>
    public void Add(string variant, string arch, ImageEntry image)
    {
        if (arch == "src")
            throw Invalid("Source arch is not allowed as a tree arch: map source images under binary arches.");
        if (!ProductmdEnums.RpmArches.Contains(arch) || !ProductmdEnums.RpmArches.Contains(image.Arch))
            throw Invalid($"Unknown arch '{(ProductmdEnums.RpmArches.Contains(arch) ? image.Arch : arch)}'.");
        if (!TypeFormats.ContainsKey(image.Type))
            throw Invalid($"Unknown image type '{image.Type}'.");
        if (!Formats.Contains(image.Format))
            throw Invalid($"Unknown image format '{image.Format}'.");
        if (image.Path.StartsWith('/'))
            throw Invalid($"Relative path expected: {image.Path}");
        if (image.Checksums.Count == 0)
            throw Invalid($"Image {image.Path} has no checksums.");
        if (image.ImplantMd5 is not null && !Md5Regex.IsMatch(image.ImplantMd5))
            throw Invalid($"implant_md5 of {image.Path} is not 32 lowercase hex digits.");
        if (image.AdditionalVariants is { Count: > 0 } && !image.Unified)
            throw Invalid($"Image {image.Path}: additional_variants requires unified.");
        if (!Images.TryGetValue(variant, out var arches))
            Images[variant] = arches = new SortedDictionary<string, List<ImageEntry>>(StringComparer.Ordinal);
        if (!arches.TryGetValue(arch, out var list))
            arches[arch] = list = [];
        foreach (var other in list)
        {
            if (other.Subvariant == image.Subvariant && other.Type == image.Type && other.Format == image.Format &&
                other.Arch == image.Arch && other.DiscNumber == image.DiscNumber && other.Unified == image.Unified &&
                (other.AdditionalVariants ?? []).SequenceEqual(image.AdditionalVariants ?? []) &&
                !other.Checksums.OrderBy(k => k.Key, StringComparer.Ordinal).SequenceEqual(image.Checksums.OrderBy(k => k.Key, StringComparer.Ordinal)))
                throw Invalid($"Image {image.Path} has the same identity as {other.Path} but different checksums.");
            if (other.Path == image.Path && other.Checksums.Count == image.Checksums.Count &&
                !other.Checksums.Except(image.Checksums).Any())
                return; // the same image added twice (productmd keeps a set)
        }
        list.Add(image);
    }

    private static PungiException Invalid(string message) => new(ErrorCodes.MetadataInvalid, "images.json: " + message);

    public JsonObject ToJson()
    {
        var images = new JsonObject();
        foreach (var (variant, arches) in Images)
        {
            var v = new JsonObject();
            foreach (var (arch, list) in arches)
                v[arch] = new JsonArray(list.OrderBy(i => i.Path, StringComparer.Ordinal).Select(i => (JsonNode)ImageObject(i)).ToArray());
            images[variant] = v;
        }
        return new JsonObject
        {
            ["header"] = ProductmdJson.Header(HeaderType),
            ["payload"] = new JsonObject { ["compose"] = ProductmdJson.ComposeObject(Compose), ["images"] = images },
        };
    }

    private static JsonObject ImageObject(ImageEntry i)
    {
        var checksums = new JsonObject();
        foreach (var (k, v) in i.Checksums)
            checksums[k] = v;
        var o = new JsonObject
        {
            ["arch"] = i.Arch,
            ["bootable"] = i.Bootable,
            ["checksums"] = checksums,
            ["disc_count"] = i.DiscCount,
            ["disc_number"] = i.DiscNumber,
            ["format"] = i.Format,
            ["implant_md5"] = i.ImplantMd5,
            ["mtime"] = i.Mtime,
            ["path"] = i.Path,
            ["size"] = i.Size,
            ["subvariant"] = i.Subvariant,
            ["type"] = i.Type,
            ["volume_id"] = i.VolumeId,
        };
        if (i.Unified)
        {
            o["unified"] = true;
            if (i.AdditionalVariants is { Count: > 0 } av)
                o["additional_variants"] = new JsonArray(av.Select(a => (JsonNode)a).ToArray());
        }
        return o;
    }

    public string Serialize() => ProductmdJson.Serialize(ToJson());

    public bool Write(string path) => AtomicFile.WriteIfChanged(path, Serialize());

    public static ImagesJson Read(string path) => Parse(File.ReadAllText(path), path);

    public static ImagesJson Parse(string text, string? file = null)
    {
        var root = ProductmdJson.Parse(text, file);
        var (major, minor) = ProductmdJson.ReadHeader(root, HeaderType, file);
        var payload = root["payload"] as JsonObject ?? throw new PungiException(ErrorCodes.MetadataInvalid, "images.json has no 'payload'.", file);
        var result = new ImagesJson(ProductmdJson.ReadCompose(payload["compose"] as JsonObject, file));
        var moveSource = major < 1 || (major == 1 && minor < 2);
        foreach (var (variant, archesNode) in (payload["images"] as JsonObject) ?? [])
        {
            var arches = (archesNode as JsonObject) ?? [];
            var binaryArches = arches.Select(a => a.Key).Where(a => a != "src").ToList();
            foreach (var (arch, list) in arches)
            {
                foreach (var node in (list as JsonArray) ?? [])
                {
                    var image = ReadImage(node as JsonObject ?? throw new PungiException(ErrorCodes.MetadataInvalid, "images.json: an image is not an object.", file), file);
                    try
                    {
                        if (arch == "src" && moveSource)
                            foreach (var a in binaryArches)
                                result.Add(variant, a, image);
                        else
                            result.Add(variant, arch, image);
                    }
                    catch (PungiException ex)
                    {
                        throw new PungiException(ex.Code, ex.Message, file);
                    }
                }
            }
        }
        return result;
    }

    private static ImageEntry ReadImage(JsonObject o, string? file)
    {
        string Str(string key) => (string?)o[key] ?? throw new PungiException(ErrorCodes.MetadataInvalid, $"images.json: an image has no '{key}'.", file);
        return new ImageEntry
        {
            Path = Str("path"),
            Mtime = o["mtime"]?.GetValue<long>() ?? 0,
            Size = o["size"]?.GetValue<long>() ?? 0,
            VolumeId = (string?)o["volume_id"],
            Type = Str("type"),
            Format = Str("format"),
            Arch = Str("arch"),
            DiscNumber = o["disc_number"]?.GetValue<int>() ?? 1,
            DiscCount = o["disc_count"]?.GetValue<int>() ?? 1,
            Checksums = ((o["checksums"] as JsonObject) ?? []).ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal),
            ImplantMd5 = (string?)o["implant_md5"],
            Bootable = o["bootable"]?.GetValue<bool>() ?? false,
            // 1.0 files have no subvariant: read as empty.
            Subvariant = (string?)o["subvariant"] ?? "",
            Unified = o["unified"]?.GetValue<bool>() ?? false,
            AdditionalVariants = (o["additional_variants"] as JsonArray)?.Select(a => (string)a!).ToList(),
        };
    }
}
