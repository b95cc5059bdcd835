using System.Globalization;
using System.Text.Json;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Iso;

/// <summary>One file of a tree to place on split media: '/'-path relative to the tree, size, sticky (on every disc).</summary>
public sealed record MediaFile(string Path, long Size, bool Sticky = false);

/// <summary>One disc: its files in placement order (sticky ones first) and its size in 2048-byte-rounded bytes.</summary>
public sealed record MediaDisc(IReadOnlyList<string> Files, long Size);

/// <summary>
/// Split media (spec §7.3, <c>media_split.py</c> + <c>createiso.split_iso</c>): the media size from <c>iso_size</c> and
/// <c>split_iso_reserve</c>, the tree's files in upstream's order, and the sequential splitter.
/// </summary>
public static class MediaSplit
{
    public const long DefaultIsoSize = 4_700_000_000;
    public const long DefaultReserve = 10 * 1024 * 1024;

    /// <summary>
    /// <c>convert_media_size</c>: an integer number of bytes, or a number with suffix <c>b</c>, <c>k</c>, <c>M</c>,
    /// <c>G</c> (powers of 1024); must be positive.
    /// </summary>
    public static long ParseSize(string value, string what)
    {
        var s = value.Trim();
        long unit = 1;
        if (s.Length > 0 && !char.IsAsciiDigit(s[^1]))
        {
            unit = s[^1] switch
            {
                'b' => 1,
                'k' => 1024,
                'M' => 1024 * 1024,
                'G' => 1024L * 1024 * 1024,
                _ => throw new PungiException(ErrorCodes.IsoMediaSizeInvalid, $"{what} '{value}': the suffix must be b, k, M or G"),
            };
            s = s[..^1];
        }
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            throw new PungiException(ErrorCodes.IsoMediaSizeInvalid, $"{what} '{value}' is not a size (bytes, or a number with b, k, M or G)");
        return checked(n * unit);
    }

    /// <summary><c>iso_size − split_iso_reserve</c> with the defaults (4 700 000 000 and 10 MiB); must be &gt; 0.</summary>
    public static long MediaSize(string? isoSize, string? splitIsoReserve)
    {
        long size = string.IsNullOrWhiteSpace(isoSize) ? DefaultIsoSize : ParseSize(isoSize, "IsoSize");
        long reserve = string.IsNullOrWhiteSpace(splitIsoReserve) ? DefaultReserve : ParseSize(splitIsoReserve, "SplitIsoReserve");
        long media = size - reserve;
        if (size <= 0 || media <= 0)
            throw new PungiException(ErrorCodes.IsoMediaSizeInvalid, $"IsoSize {size} minus SplitIsoReserve {reserve} leaves no room on the media ({media} bytes)");
        return media;
    }

    /// <summary>A file's size on the media: rounded up to whole 2048-byte blocks.</summary>
    public static long BlockSize(long size) => (size + 2047) / 2048 * 2048;

    /// <summary>
    /// The files of an os (or source) tree for <see cref="Split"/>: the variant's <c>repodata/</c> left out (each disc
    /// gets its own), the <c>boot.iso</c> of the tree's images left out, "other" files first then the files under
    /// <paramref name="packagesDir"/>; sticky = <c>media.repo</c> and every path in <paramref name="extraFiles"/>.
    /// Upstream's order is os.walk's unsorted directory order; here each group is ordinal-sorted by path, so the
    /// split does not depend on the file system.
    /// </summary>
    public static List<MediaFile> CollectTree(string tree, string packagesDir = "Packages", IEnumerable<string>? extraFiles = null, IEnumerable<string>? ignore = null)
    {
        var sticky = new HashSet<string>(extraFiles ?? [], StringComparer.Ordinal) { "media.repo" };
        var skip = new HashSet<string>(ignore ?? ["images/boot.iso"], StringComparer.Ordinal);
        string pkgPrefix = packagesDir.Trim('/') + "/";
        var other = new List<MediaFile>();
        var packages = new List<MediaFile>();
        var opts = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var full in Directory.EnumerateFiles(tree, "*", opts))
        {
            var rel = System.IO.Path.GetRelativePath(tree, full).Replace('\\', '/');
            if (rel.StartsWith("repodata/", StringComparison.Ordinal) || skip.Contains(rel) || rel.Split('/').Contains("lost+found")) continue;
            var f = new MediaFile(rel, new FileInfo(full).Length, sticky.Contains(rel));
            (rel.StartsWith(pkgPrefix, StringComparison.Ordinal) ? packages : other).Add(f);
        }
        other.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        packages.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return [.. other, .. packages];
    }

    /// <summary>The paths of a tree's <c>extra_files.json</c> (<c>{"data": [{"file": …}, …]}</c>), or none.</summary>
    public static IReadOnlyList<string> ExtraFilesOf(string treeExtraFilesJson)
    {
        if (!File.Exists(treeExtraFilesJson)) return [];
        using var doc = JsonDocument.Parse(File.ReadAllText(treeExtraFilesJson));
        if (!doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) return [];
        return data.EnumerateArray().Select(e => e.TryGetProperty("file", out var f) ? f.GetString() : null).OfType<string>().ToList();
    }

    /// <summary>
    /// The discs of one tree: bootable media are never split (spec §7.3), and a bootable tree larger than the media is
    /// an error here (issue 8; upstream only warns and writes an image that does not fit); otherwise <see cref="Split"/>.
    /// </summary>
    public static List<MediaDisc> Plan(IReadOnlyList<MediaFile> files, long mediaSize, bool bootable, string what)
    {
        if (!bootable) return Split(files, mediaSize);
        long total = files.Sum(f => BlockSize(f.Size));
        if (total > mediaSize)
            throw new PungiException(ErrorCodes.IsoBootableTooLarge,
                $"{what} is bootable, so it is never split, but its tree needs {total} bytes and the media hold {mediaSize} (IsoSize − SplitIsoReserve)");
        return [new MediaDisc(files.Select(f => f.Path).ToList(), total)];
    }

    /// <summary>
    /// <c>MediaSplitter.split</c>: sticky files on every disc and counted in every disc's size; the others in order,
    /// a new disc started when the next file would pass <paramref name="mediaSize"/> (no reordering, no bin packing).
    /// Null media size = one disc. A file bigger than the media (with the sticky files) is an error.
    /// </summary>
    public static List<MediaDisc> Split(IReadOnlyList<MediaFile> files, long? mediaSize)
    {
        var sticky = files.Where(f => f.Sticky).ToList();
        long stickySize = sticky.Sum(f => BlockSize(f.Size));
        var discs = new List<(List<string> Files, long Size)>();
        List<string>? current = null;
        long size = 0;
        foreach (var f in files.Where(f => !f.Sticky))
        {
            long s = BlockSize(f.Size);
            if (mediaSize is { } max && stickySize + s > max)
                throw new PungiException(ErrorCodes.IsoFileLargerThanMedia, $"'{f.Path}' ({f.Size} bytes) does not fit on a medium of {max} bytes (sticky files take {stickySize})");
            if (current is null || (mediaSize is { } m && size + s > m))
            {
                if (current is not null) discs.Add((current, size));
                current = [.. sticky.Select(x => x.Path)];
                size = stickySize;
            }
            current.Add(f.Path);
            size += s;
        }
        if (current is not null) discs.Add((current, size));
        if (discs.Count == 0) discs.Add(([.. sticky.Select(x => x.Path)], stickySize));
        return discs.Select(d => new MediaDisc(d.Files, d.Size)).ToList();
    }
}
