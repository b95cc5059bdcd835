using System.Security.Cryptography;
using System.Text;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Pkgset;

/// <summary>
/// The machine-readable package set of one arch (<c>work/&lt;arch&gt;/pkgset/&lt;name&gt;.pkgset</c>, and
/// <c>work/global/pkgset/&lt;name&gt;.pkgset</c>): path, list path, invalid-sigkey flag and the whole package record for
/// every package, in package-list order. Gather and Createrepo load it instead of opening RPMs; its bytes change
/// only when the set does, so its time stamp is a sound MSBuild input. A SHA-256 of the content sits right after the
/// format version, so an unchanged rerun compares 32 bytes instead of serialising and re-reading the whole set.
/// </summary>
public static class PackageSetStore
{
    private const string Magic = "PUNGI-PKGSET";
    private const int FormatVersion = 2;

    /// <summary>Loads the package set Pkgset wrote for <paramref name="arch"/> (a tree arch or <c>global</c>).</summary>
    public static PackageSet Load(string workDir, string arch, string name = "repos")
        => LoadFile(PkgsetPaths.Store(workDir, arch, name));

    /// <summary>Records the names of the package sets this compose has (see <see cref="PkgsetPaths.Names"/>); rewritten only when they change.</summary>
    public static void WriteNames(string workDir, IReadOnlyList<string> names)
    {
        var path = PkgsetPaths.Names(workDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteIfChanged(path, Encoding.UTF8.GetBytes(string.Concat(names.Select(n => n + "\n"))));
    }

    /// <summary>
    /// The package-set names Pkgset recorded, in order. A work directory from before the names file existed only had
    /// the <c>repos</c> set.
    /// </summary>
    public static IReadOnlyList<string> Names(string workDir)
    {
        var path = PkgsetPaths.Names(workDir);
        if (!File.Exists(path)) return ["repos"];
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return names.Count == 0 ? ["repos"] : names;
    }

    /// <summary>
    /// The compose's package set for <paramref name="arch"/>: every set Pkgset recorded, merged in their order. As
    /// upstream's gather sees several package sets (spec §2.2.1 step 10, §2.4), a package name already provided by an
    /// earlier set hides that name in the later ones: the first tag wins (binaries and SRPMs are counted apart).
    /// </summary>
    public static PackageSet LoadCompose(string workDir, string arch)
    {
        var names = Names(workDir);
        if (names.Count == 1) return Load(workDir, arch, names[0]);
        var sets = names.Select(n => Load(workDir, arch, n)).ToList();
        var seen = new HashSet<(string, bool)>();
        var merged = new List<PackageSetEntry>();
        foreach (var set in sets)
        {
            var mine = new HashSet<(string, bool)>();
            foreach (var e in set.Packages)
            {
                var key = (e.Summary.Name, e.Summary.IsSource); // the summary: no need to decode the whole record
                if (seen.Contains(key)) continue;
                mine.Add(key);
                merged.Add(e);
            }
            seen.UnionWith(mine);
        }
        return new PackageSet(sets[0].Name, arch, sets[0].PathPrefix, merged);
    }

    /// <summary>
    /// The summaries of the entries of <see cref="LoadCompose"/>'s set whose path is in <paramref name="paths"/>, by path
    /// (see <see cref="LoadComposeEntries"/>).
    /// </summary>
    public static Dictionary<string, PackageSummary> LoadComposeSummaries(string workDir, string arch, IReadOnlySet<string> paths)
        => LoadComposeEntries(workDir, arch, paths).ToDictionary(kv => kv.Key, kv => kv.Value.Summary, StringComparer.Ordinal);

    /// <summary>
    /// The entries of <see cref="LoadCompose"/>'s set whose path is in <paramref name="paths"/>, by path (the first entry
    /// of a path, as <c>TryAdd</c> over the merged set keeps it); a path not in the set is left out. With one set (the
    /// usual case) the store is streamed and only the wanted records are kept, so a tree of a few thousand packages does
    /// not copy out and summarise the other 17,000 of a 20,000-package set; with several, hiding across sets depends on
    /// every name of the earlier sets, so the merged set is loaded whole.
    /// </summary>
    public static Dictionary<string, PackageSetEntry> LoadComposeEntries(string workDir, string arch, IReadOnlySet<string> paths)
    {
        var found = new Dictionary<string, PackageSetEntry>(StringComparer.Ordinal);
        if (paths.Count == 0) return found;
        var names = Names(workDir);
        if (names.Count != 1)
        {
            foreach (var e in LoadCompose(workDir, arch).Packages)
                if (paths.Contains(e.Path)) found.TryAdd(e.Path, e);
            return found;
        }
        var path = PkgsetPaths.Store(workDir, arch, names[0]);
        try
        {
            using var file = MappedFile.Open(path);
            var r = new SpanReader(file.Span);
            int count = ReadHeader(ref r, file.Length).Count;
            var lookup = paths is HashSet<string> { Comparer: var c } set && ReferenceEquals(c, StringComparer.Ordinal) ? set : new HashSet<string>(paths, StringComparer.Ordinal);
            var bySpan = lookup.GetAlternateLookup<ReadOnlySpan<char>>();
            var chars = new char[1024];
            for (int i = 0; i < count; i++)
            {
                // The path is compared without a string per entry; a wanted one is read into a string once.
                var pathBytes = r.ReadBytes(r.Read7BitEncodedInt());
                if (chars.Length < Encoding.UTF8.GetMaxCharCount(pathBytes.Length)) chars = new char[Encoding.UTF8.GetMaxCharCount(pathBytes.Length) * 2];
                int n = Encoding.UTF8.GetChars(pathBytes, chars);
                var relative = r.ReadBytes(r.Read7BitEncodedInt());
                bool invalid = r.ReadBoolean();
                var record = r.ReadBytes(r.Read7BitEncodedInt());
                if (bySpan.TryGetValue(chars.AsSpan(0, n), out var wanted) && !found.ContainsKey(wanted))
                {
                    var bytes = record.ToArray();
                    found.Add(wanted, new PackageSetEntry(wanted, Encoding.UTF8.GetString(relative), PackageCodec.ReadSummary(bytes), bytes, invalid));
                }
            }
            return found;
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw Unreadable(path, e);
        }
    }

    /// <summary>
    /// The identity of <see cref="LoadCompose"/>'s set without loading it: the fingerprints (a hash of every path and
    /// record) of the sets it merges, read from their headers.
    /// </summary>
    public static string ComposeIdentity(string workDir, string arch)
        => string.Join(",", Names(workDir).Select(n =>
        {
            var path = PkgsetPaths.Store(workDir, arch, n);
            try
            {
                return n + ":" + Convert.ToHexStringLower(ReadFingerprint(path));
            }
            catch (Exception e) when (IsUnreadable(e))
            {
                throw Unreadable(path, e);
            }
        }));

    /// <summary>The fingerprint in a store's header (magic, format version, fingerprint) without reading the set.</summary>
    private static byte[] ReadFingerprint(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        using var r = new BinaryReader(fs, Encoding.UTF8);
        if (r.ReadString() != Magic || r.ReadInt32() != FormatVersion)
            throw new InvalidDataException("not a package-set file of this format version; run the Pkgset phase again");
        return r.ReadBytes(FingerprintLength);
    }

    /// <summary>
    /// A store's packages for reading on demand (Gather): the file's bytes kept as read, each record's place in them, the
    /// paths and the summary's identity fields; no record copied, no summary object made. Null when the compose merges
    /// several package sets (<see cref="LoadCompose"/> does that).
    /// </summary>
    internal static StoreView? ViewCompose(string workDir, string arch)
    {
        var names = Names(workDir);
        if (names.Count != 1) return null;
        var path = PkgsetPaths.Store(workDir, arch, names[0]);
        MappedFile? file = null;
        try
        {
            file = MappedFile.Open(path);
            var r = new SpanReader(file.Span);
            int count = ReadHeader(ref r, file.Length).Count;
            var view = new StoreView(file, new int[count], new int[count], new string[count], new Gather.PackageKey[count]);
            for (int i = 0; i < count; i++)
            {
                view.Paths[i] = r.ReadString();
                r.ReadBytes(r.Read7BitEncodedInt()); // the list path
                r.ReadBoolean();
                int length = r.Read7BitEncodedInt();
                view.RecordStart[i] = r.Position;
                view.RecordLength[i] = length;
                var record = new SpanReader(r.ReadBytes(length));
                view.Keys[i] = new Gather.PackageKey(record.ReadString(), record.ReadNullable(), record.ReadString(), record.ReadString(),
                    record.ReadString(), record.ReadString());
            }
            return view;
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            file?.Dispose();
            throw Unreadable(path, e);
        }
    }

    /// <summary>See <see cref="ViewCompose"/>: the store stays mapped (not read into memory) until disposed; <see cref="Record"/> copies one record out.</summary>
    internal sealed record StoreView(MappedFile File, int[] RecordStart, int[] RecordLength, string[] Paths, Gather.PackageKey[] Keys) : IDisposable
    {
        public byte[] Record(int index) => File.Span.Slice(RecordStart[index], RecordLength[index]).ToArray();

        public void Dispose() => File.Dispose();
    }

    public static PackageSet LoadFile(string path)
    {
        try
        {
            // A mapping and a span walk: a BinaryReader over the stream cost more than the summaries it fed, and reading
            // the file into one array more than the walk (MappedFile).
            using var file = MappedFile.Open(path);
            var r = new SpanReader(file.Span);
            var (name, arch, prefix, count) = ReadHeader(ref r, file.Length);
            var entries = new List<PackageSetEntry>(count);
            for (int i = 0; i < count; i++)
            {
                string p = r.ReadString(), rel = r.ReadString();
                bool invalid = r.ReadBoolean();
                var record = r.ReadBytes(r.Read7BitEncodedInt()).ToArray();
                entries.Add(new PackageSetEntry(p, rel, PackageCodec.ReadSummary(record), record, invalid));
            }
            return new PackageSet(name, arch, prefix, entries);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw Unreadable(path, e);
        }
    }

    /// <summary>
    /// A store's header — magic, format version, fingerprint, name, arch, path prefix — and its entry count, leaving
    /// <paramref name="r"/> at the first entry.
    /// </summary>
    private static (string Name, string Arch, string Prefix, int Count) ReadHeader(ref SpanReader r, int fileLength)
    {
        if (r.ReadString() != Magic || r.ReadInt32() != FormatVersion)
            throw new InvalidDataException("not a package-set file of this format version; run the Pkgset phase again");
        r.ReadBytes(FingerprintLength);
        string name = r.ReadString(), arch = r.ReadString(), prefix = r.ReadString();
        int count = r.ReadInt32();
        if (count < 0 || count > fileLength) throw new InvalidDataException("damaged package-set file");
        return (name, arch, prefix, count);
    }

    /// <summary>A failure reading a store: the file missing or unreadable, or its bytes not a store (a span walk off its end).</summary>
    private static bool IsUnreadable(Exception e)
        => e is IOException or InvalidDataException or EndOfStreamException or FormatException or UnauthorizedAccessException
            or IndexOutOfRangeException or ArgumentOutOfRangeException;

    private static PungiException Unreadable(string path, Exception e)
        => new(ErrorCodes.PkgsetStoreMissing, e is IndexOutOfRangeException or ArgumentOutOfRangeException
            ? $"cannot load the package set {path}: the file is truncated or damaged"
            : $"cannot load the package set {path}: {e.Message}", path, inner: e);

    private const int FingerprintLength = 32;

    /// <summary>SHA-256 over everything <see cref="Serialize"/> writes after the fingerprint.</summary>
    internal static byte[] Fingerprint(PackageSet set)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var n = new byte[4];
        void Int(int v)
        {
            BitConverter.TryWriteBytes(n, v);
            h.AppendData(n);
        }
        void Str(string s)
        {
            var b = Encoding.UTF8.GetBytes(s);
            Int(b.Length);
            h.AppendData(b);
        }
        Str(set.Name); Str(set.Arch); Str(set.PathPrefix);
        Int(set.Packages.Count);
        foreach (var e in set.Packages)
        {
            Str(e.Path); Str(e.RelativePath);
            Int(e.InvalidSigkey ? 1 : 0);
            Int(e.Record.Length);
            h.AppendData(e.Record);
        }
        return h.GetHashAndReset();
    }

    /// <summary>True when <paramref name="path"/> is a store of this format whose fingerprint is <paramref name="fingerprint"/>.</summary>
    internal static bool HasFingerprint(string path, byte[] fingerprint)
    {
        try
        {
            return ReadFingerprint(path).AsSpan().SequenceEqual(fingerprint);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Writes the set to <paramref name="output"/>, streamed: a 20,000-package set is 20 MB, never held as one buffer.</summary>
    internal static void Serialize(Stream output, PackageSet set, byte[] fingerprint)
    {
        // Not disposed: that would close the caller's stream, which it still flushes to disk and compares.
        var buffered = new BufferedStream(output, 1 << 16);
        using (var w = new BinaryWriter(buffered, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(fingerprint);
            w.Write(set.Name);
            w.Write(set.Arch);
            w.Write(set.PathPrefix);
            w.Write(set.Packages.Count);
            foreach (var e in set.Packages)
            {
                w.Write(e.Path);
                w.Write(e.RelativePath);
                w.Write(e.InvalidSigkey);
                w.Write7BitEncodedInt(e.Record.Length);
                w.Write(e.Record);
            }
        }
        buffered.Flush();
    }
}
