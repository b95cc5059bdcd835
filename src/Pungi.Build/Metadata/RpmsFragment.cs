using System.Security.Cryptography;
using System.Text;
using Pungi.Build.Checksums;
using Pungi.Build.Compose;
using Pungi.Build.Gather;
using Pungi.Build.Variants;

namespace Pungi.Build.Metadata;

/// <summary>
/// One variant.arch's part of rpms.json as ComposeMetadata last wrote it (<c>work/global/metadata-cache/rpms/</c>):
/// the key of what it was made from (<see cref="Key"/>), its SRPM file → NEVRA pairs, every cross-compose SRPM
/// lookup its binaries made (with the answer, null when the SRPM was not found and the NEVRA was guessed), its
/// warnings, its entries by category (for the report, see <see cref="RpmsCounts"/>) and its JSON serialised at
/// <see cref="RpmsJson.ArchDepth"/>. See <see cref="RpmsManifest.WriteCached"/>.
/// </summary>
public sealed record RpmsFragment(List<(string File, string Nevra)> Srpms, List<(string File, string? Nevra)> Lookups,
    List<string> Warnings, int Entries, CategoryCounts Counts, string Json)
{
    public const string Extension = ".rpmsfrag";
    private const string Magic = "PUNGI-RPMSFRAG-2";

    /// <summary>The cache directory of a compose.</summary>
    public static string CacheDir(ComposeLayout layout) => Path.Combine(layout.WorkTopdir(null), "metadata-cache", "rpms");

    public static string PathFor(string cacheDir, Variant v, string arch) => Path.Combine(cacheDir, $"{v.Uid}.{arch}{Extension}");

    /// <summary>
    /// A digest of everything the variant.arch's fragment is made from; null (never reuse) when the variant.arch's
    /// LinkPackages stamp is missing, as nothing then vouches for where its files are linked.
    /// </summary>
    public static string? Key(ComposeLayout layout, Variant v, string arch)
    {
        var linkStamp = FileIdentity.Of(Path.Combine(layout.WorkTopdir(arch), "stamps", $"LinkPackages-{v.Uid}.{arch}.stamp"));
        if (linkStamp is null) return null;
        var srcStamp = FileIdentity.Of(Path.Combine(layout.WorkTopdir("src"), "stamps", $"LinkPackages-{v.Uid}.src.stamp"));
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string s)
        {
            var b = Encoding.UTF8.GetBytes(s);
            h.AppendData(BitConverter.GetBytes(b.Length));
            h.AppendData(b);
        }
        void FileContent(string path)
        {
            Text(path);
            if (!File.Exists(path))
            {
                Text("(none)");
                return;
            }
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = fs.Read(buf, 0, buf.Length)) > 0)
            {
                h.AppendData(buf, 0, n);
                total += n;
            }
            h.AppendData(BitConverter.GetBytes(total));
        }
        Text(Magic);
        // A new build of this assembly may file entries differently: its fragments are never reused.
        Text(typeof(RpmsFragment).Assembly.ManifestModule.ModuleVersionId.ToString());
        Text(v.Uid);
        Text(arch);
        Text(layout.ComposeDir);
        Text(layout.Packages(v, "src"));
        Text(layout.Packages(v, arch));
        Text(layout.DebugPackages(v, arch));
        foreach (var type in new[] { "srpm", "rpm", "debuginfo" })
        {
            var list = layout.PackageList(arch, v, type);
            FileContent(list);
            FileContent(GatherPhase.PackageDigestPath(list));
        }
        Text(linkStamp.Value.ToString());
        Text(srcStamp?.ToString() ?? "(none)");
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    /// <summary>The fragment at <paramref name="path"/> when it was saved under <paramref name="key"/>; null otherwise (missing, other key, damaged).</summary>
    public static RpmsFragment? TryLoad(string path, string key)
    {
        try
        {
            if (!File.Exists(path)) return null;
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var r = new BinaryReader(fs, Encoding.UTF8, leaveOpen: true);
            long headerLength = r.ReadInt64();
            if (r.ReadString() != Magic || r.ReadString() != key) return null;
            // A file cut short (or grown) is not this fragment.
            if (fs.Length != 8 + headerLength + r.ReadInt64()) return null;
            int entries = r.ReadInt32();
            var counts = new CategoryCounts(r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
            var srpms = new List<(string, string)>();
            for (int i = r.ReadInt32(); i > 0; i--) srpms.Add((r.ReadString(), r.ReadString()));
            var lookups = new List<(string, string?)>();
            for (int i = r.ReadInt32(); i > 0; i--) lookups.Add((r.ReadString(), r.ReadBoolean() ? r.ReadString() : null));
            var warnings = new List<string>();
            for (int i = r.ReadInt32(); i > 0; i--) warnings.Add(r.ReadString());
            // The JSON stays on disk: CopyJson streams it into rpms.json.
            return new RpmsFragment(srpms, lookups, warnings, entries, counts, "");
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or FormatException or UnauthorizedAccessException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Saves the fragment under <paramref name="key"/> (empty: a key nothing matches).</summary>
    public void Save(string path, string key)
    {
        var header = new MemoryStream();
        using (var w = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(key.Length == 0 ? "(not reusable)" : key);
            w.Write((long)new UTF8Encoding(false).GetByteCount(Json));
            w.Write(Entries);
            w.Write(Counts.Binary);
            w.Write(Counts.Debug);
            w.Write(Counts.Source);
            w.Write(Srpms.Count);
            foreach (var (file, nevra) in Srpms) { w.Write(file); w.Write(nevra); }
            w.Write(Lookups.Count);
            foreach (var (file, nevra) in Lookups)
            {
                w.Write(file);
                w.Write(nevra is not null);
                if (nevra is not null) w.Write(nevra);
            }
            w.Write(Warnings.Count);
            foreach (var warning in Warnings) w.Write(warning);
        }
        AtomicFile.WriteIfChanged(path, stream =>
        {
            stream.Write(BitConverter.GetBytes(header.Length));
            header.Position = 0;
            header.CopyTo(stream);
            using var sw = new StreamWriter(stream, new UTF8Encoding(false), 65536, leaveOpen: true);
            sw.Write(Json);
        });
    }

    /// <summary>Streams the saved JSON of the fragment at <paramref name="path"/> into <paramref name="w"/>.</summary>
    public static void CopyJson(string path, PyJsonWriter w)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var length = new byte[8];
        fs.ReadExactly(length);
        fs.Position = 8 + BitConverter.ToInt64(length);
        w.Raw(fs);
    }
}
