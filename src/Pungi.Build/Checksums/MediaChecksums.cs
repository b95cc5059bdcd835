using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Checksums;

/// <summary>One file of a checksum group: its name inside the directory, size and digests by type.</summary>
public sealed record ChecksummedFile(string FileName, long Size, IReadOnlyDictionary<string, string> Digests);

/// <summary>
/// The ImageChecksum phase's file handling (spec §7.5): digests of an image computed in one streaming pass, and the
/// BSD-style checksum files (<c># name: N bytes</c> then <c>SHA256 (name) = hex</c>) per image and per directory.
/// </summary>
public static class MediaChecksums
{
    /// <summary>Upstream's <c>media_checksums</c> default.</summary>
    public static readonly IReadOnlyList<string> DefaultTypes = ["md5", "sha1", "sha256"];

    /// <summary>hashlib names we can compute (sha224 and the sha3/blake2 families have no .NET implementation everywhere).</summary>
    public static readonly IReadOnlyList<string> KnownTypes = ["md5", "sha1", "sha256", "sha384", "sha512"];

    /// <summary>Checks <c>media_checksums</c> and <c>media_checksum_one_file</c> as Pungi's config validation does.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<string> types, bool oneFile)
    {
        if (types.Count == 0) types = DefaultTypes;
        foreach (var t in types)
            if (!KnownTypes.Contains(t))
                throw new PungiException(ErrorCodes.MediaChecksumUnknown,
                    $"MediaChecksums: '{t}' is not a digest Pungi.Build can compute (use {string.Join(", ", KnownTypes)}).");
        if (oneFile && types.Count != 1)
            throw new PungiException(ErrorCodes.MediaChecksumOneFileNeedsOne,
                $"MediaChecksumOneFile needs exactly one checksum type in MediaChecksums, not {types.Count} ({string.Join(", ", types)}).");
        return types;
    }

    /// <summary>
    /// All <paramref name="types"/> digests of a file, read once in 1 MiB blocks; with several types each block is hashed
    /// by them in parallel (md5, sha1 and sha256 one after another cost their sum on one core).
    /// </summary>
    public static Dictionary<string, string> Compute(string path, IReadOnlyList<string> types, CancellationToken ct = default)
    {
        var hashes = types.Select(t => (Type: t, Hash: IncrementalHash.CreateHash(Algorithm(t)))).ToList();
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var buf = new byte[1 << 20];
            int n;
            while ((n = fs.Read(buf, 0, buf.Length)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                if (hashes.Count == 1) hashes[0].Hash.AppendData(buf, 0, n);
                else Parallel.ForEach(hashes, h => h.Hash.AppendData(buf, 0, n));
            }
            return hashes.ToDictionary(h => h.Type, h => Convert.ToHexStringLower(h.Hash.GetHashAndReset()), StringComparer.Ordinal);
        }
        finally
        {
            foreach (var (_, h) in hashes) h.Dispose();
        }
    }

    private static HashAlgorithmName Algorithm(string type) => type switch
    {
        "md5" => HashAlgorithmName.MD5,
        "sha1" => HashAlgorithmName.SHA1,
        "sha256" => HashAlgorithmName.SHA256,
        "sha384" => HashAlgorithmName.SHA384,
        "sha512" => HashAlgorithmName.SHA512,
        _ => throw new PungiException(ErrorCodes.MediaChecksumUnknown, $"MediaChecksums: unknown digest '{type}'."),
    };

    /// <summary>
    /// The text of one checksum file: for every file a <c># name: N bytes</c> comment and one line per type, entries
    /// sorted by (filename, size, type, digest) as upstream's <c>make_checksums</c> sorts its set of tuples.
    /// </summary>
    public static string Format(IEnumerable<ChecksummedFile> files, IReadOnlyList<string> types)
    {
        // Sorted, then equal neighbours dropped: the set's order without LINQ's per-tuple-type machinery (a few entries a file).
        var entries = new List<Entry>();
        foreach (var f in files)
            foreach (var t in types)
                if (f.Digests.TryGetValue(t, out var digest))
                    entries.Add(new Entry(f.FileName, f.Size, t, digest));
        entries.Sort();
        var sb = new StringBuilder();
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (i > 0 && e.CompareTo(entries[i - 1]) == 0) continue;
            sb.Append(CultureInfo.InvariantCulture, $"# {e.FileName}: {e.Size} bytes\n");
            sb.Append(CultureInfo.InvariantCulture, $"{e.Type.ToUpperInvariant()} ({e.FileName}) = {e.Digest}\n");
        }
        return sb.ToString();
    }

    /// <summary>One line pair of a checksum file, ordered by (file name, size, type, digest), strings ordinally.</summary>
    private sealed record Entry(string FileName, long Size, string Type, string Digest) : IComparable<Entry>
    {
        public int CompareTo(Entry? other)
        {
            if (other is null) return 1;
            int c = string.CompareOrdinal(FileName, other.FileName);
            if (c == 0) c = Size.CompareTo(other.Size);
            if (c == 0) c = string.CompareOrdinal(Type, other.Type);
            return c != 0 ? c : string.CompareOrdinal(Digest, other.Digest);
        }
    }

    /// <summary>
    /// Writes the checksum files of one directory (spec §7.5): one-file mode <c>&lt;prefix&gt;CHECKSUM</c>; otherwise per
    /// type <c>&lt;image&gt;.&lt;T&gt;SUM</c> for every image and <c>&lt;prefix&gt;&lt;T&gt;SUM</c> for the directory. Files are
    /// rewritten only when their content changes. Returns the paths written or kept.
    /// </summary>
    public static List<string> WriteDirectory(string dir, IReadOnlyList<ChecksummedFile> files, IReadOnlyList<string> types, bool oneFile, string prefix)
    {
        var written = new List<string>();
        if (oneFile)
        {
            var path = Path.Combine(dir, prefix + "CHECKSUM");
            AtomicFile.WriteIfChanged(path, Format(files, types));
            written.Add(path);
            return written;
        }
        foreach (var type in types)
        {
            string suffix = type.ToUpperInvariant() + "SUM";
            foreach (var f in files)
            {
                var path = Path.Combine(dir, f.FileName + "." + suffix);
                AtomicFile.WriteIfChanged(path, Format([f], [type]));
                written.Add(path);
            }
            var dirFile = Path.Combine(dir, prefix + suffix);
            AtomicFile.WriteIfChanged(dirFile, Format(files, [type]));
            written.Add(dirFile);
        }
        return written;
    }

    /// <summary>
    /// Parses a BSD-style checksum file back into (type, file name, digest) lines, skipping comments, as
    /// <c>sha256sum -c</c> reads the <c>SHA256 (name) = hex</c> form.
    /// </summary>
    public static List<(string Type, string FileName, string Digest)> Parse(string text)
    {
        var result = new List<(string, string, string)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int open = line.IndexOf(" (", StringComparison.Ordinal);
            int close = line.LastIndexOf(") = ", StringComparison.Ordinal);
            if (open <= 0 || close < open) continue;
            result.Add((line[..open].ToLowerInvariant(), line[(open + 2)..close], line[(close + 4)..]));
        }
        return result;
    }
}
