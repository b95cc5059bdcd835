using System.Security.Cryptography;
using System.Text;
using Pungi.Build.Compose;

namespace Pungi.Build.Gather;

/// <summary>
/// The depsolver's answer for one variant.arch, kept in <c>work/&lt;arch&gt;/gather/&lt;uid&gt;.memo</c> under a key
/// that hashes everything the answer depends on: the package set's fingerprint, the lookaside repositories' repomd,
/// every kickstart line and option of the request, and the build of this library. Gather reruns every variant of an
/// arch when one of them changes (trimming needs them all, §3.10); with the memo only the changed one is solved again,
/// the others read back the package map they had (the same bytes a solve would give: the solve is deterministic).
/// </summary>
public static class GatherMemo
{
    private const string Magic = "PUNGI-GATHER-MEMO";
    private const int FormatVersion = 1;

    /// <summary>What a memo holds: the pre-trimming package map and what the solve reported.</summary>
    public sealed record Entry(PackageMap Map, IReadOnlyList<string> Warnings, IReadOnlyList<string> MissingPatterns,
        IReadOnlyList<UnresolvedDependency> Unresolved);

    public static string PathOf(ComposeLayout layout, string arch, string variantUid)
        => Path.Combine(layout.WorkTopdir(arch), "gather", variantUid + ".memo");

    /// <summary><c>work/&lt;arch&gt;/gather/sack.index</c>: the depsolver's lookup index of the arch's package set (<see cref="SackIndex"/>).</summary>
    public static string SackIndexPath(ComposeLayout layout, string arch)
        => Path.Combine(layout.WorkTopdir(arch), "gather", "sack.index");

    /// <summary>
    /// The key of a request: <paramref name="setIdentity"/> stands for the packages (the package set's fingerprint,
    /// which covers paths and whole records), <paramref name="lookasideIdentities"/> for the lookaside repositories.
    /// </summary>
    /// <remarks>
    /// With <paramref name="initial"/> (<see cref="GatherEngine.DescribeInitial"/>) the key holds the matched
    /// (queue, name) pairs instead of the include lines, so a line added that matches only names already asked for
    /// keeps the key (Pkgset's depsolve over every variant's lines).
    /// </remarks>
    public static string Key(GatherRequest request, string setIdentity, IEnumerable<string> lookasideIdentities, InitialSelection? initial = null)
    {
        // The lines' UTF-8 hashed a buffer at a time, not gathered into one string first: Pkgset's key holds a line
        // per name of the set (20,000 at the size). Same bytes, same hash.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        int used = 0;
        void Line(string tag, string value)
        {
            var line = string.Concat(tag, "=", value.Replace("\n", "\\n", StringComparison.Ordinal), "\n");
            int max = Encoding.UTF8.GetMaxByteCount(line.Length);
            if (used + max > buffer.Length)
            {
                hash.AppendData(buffer, 0, used);
                used = 0;
                if (max > buffer.Length) buffer = new byte[max];
            }
            used += Encoding.UTF8.GetBytes(line, 0, line.Length, buffer, used);
        }
        Line("format", FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Any change to the depsolver's code changes the answer's key (the module id is a hash of the build's content).
        Line("build", typeof(GatherMemo).Assembly.ManifestModule.ModuleVersionId.ToString());
        Line("arch", request.Arch);
        Line("set", setIdentity);
        foreach (var repo in request.Repos) Line("repo", $"{repo.Id}|{repo.IsLookaside}");
        foreach (var l in lookasideIdentities) Line("lookaside", l);
        if (initial is null)
            foreach (var p in request.Packages) Line("package", p);
        else
            foreach (var p in initial.Pairs) Line("initial", p);
        foreach (var c in request.ConditionalPackages) Line("conditional", $"{c.Requires}|{c.Install}");
        foreach (var l in request.Langpacks) Line("langpack", $"{l.Name}|{l.Install}");
        foreach (var p in request.Prepopulate) Line("prepopulate", p);
        Line("greedy", request.Greedy.ToString());
        Line("options", $"{request.Fulltree}|{request.Selfhosting}|{request.ResolveDeps}|{request.ExcludeSource}|{request.ExcludeDebug}");
        foreach (var x in request.FulltreeExcludes.Order(StringComparer.Ordinal)) Line("fulltree-exclude", x);
        foreach (var m in request.MultilibMethods) Line("multilib", m);
        foreach (var b in request.MultilibBlacklist) Line("blacklist", b);
        foreach (var w in request.MultilibWhitelist) Line("whitelist", w);
        hash.AppendData(buffer, 0, used);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The identity of a lookaside repository: its path and the hash of its repomd.xml (which names every metadata file by checksum).</summary>
    public static string LookasideIdentity(string repoPath)
    {
        var repomd = Path.Combine(repoPath, "repodata", "repomd.xml");
        return File.Exists(repomd)
            ? repoPath + "|" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(repomd)))
            : repoPath + "|none";
    }

    /// <summary>The memo at <paramref name="path"/> when its key is <paramref name="key"/>; null when missing, stale or unreadable.</summary>
    public static Entry? TryLoad(string path, string key)
    {
        try
        {
            if (!File.Exists(path)) return null;
            // A mapping and a span walk: a rerun reads back every variant's memo (35,000 entries at 20k packages).
            using var file = MappedFile.Open(path);
            var r = new Pkgset.SpanReader(file.Span);
            if (r.ReadString() != Magic || r.ReadInt32() != FormatVersion || r.ReadString() != key) return null;
            var map = new PackageMap();
            // Flag lists repeat ("input", "input,multilib", none): one array per distinct list.
            var flagLists = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var type in PackageMap.Types)
            {
                int n = r.ReadInt32();
                var list = map[type];
                for (int i = 0; i < n; i++)
                {
                    var p = r.ReadString();
                    var flags = new string[r.ReadInt32()];
                    for (int f = 0; f < flags.Length; f++) flags[f] = r.ReadString();
                    var joined = string.Join(',', flags);
                    if (!flagLists.TryGetValue(joined, out var shared)) flagLists[joined] = shared = flags;
                    list.Add(new PackageEntry(p, shared));
                }
            }
            var warnings = ReadStrings(ref r);
            var missing = ReadStrings(ref r);
            var unresolved = new List<UnresolvedDependency>();
            for (int i = r.ReadInt32(); i > 0; i--) unresolved.Add(new UnresolvedDependency(r.ReadString(), r.ReadString()));
            return new Entry(map, warnings, missing, unresolved);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or IndexOutOfRangeException or ArgumentOutOfRangeException or UnauthorizedAccessException)
        {
            return null; // a memo is only ever a shortcut: solve again
        }
    }

    public static void Save(string path, string key, Entry entry)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteIfChanged(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(key);
            foreach (var type in PackageMap.Types)
            {
                var list = entry.Map[type];
                w.Write(list.Count);
                foreach (var e in list)
                {
                    w.Write(e.Path);
                    w.Write(e.Flags.Count);
                    foreach (var f in e.Flags) w.Write(f);
                }
            }
            WriteStrings(w, entry.Warnings);
            WriteStrings(w, entry.MissingPatterns);
            w.Write(entry.Unresolved.Count);
            foreach (var u in entry.Unresolved)
            {
                w.Write(u.Package);
                w.Write(u.Requirement);
            }
        });
    }

    private static List<string> ReadStrings(ref Pkgset.SpanReader r)
    {
        var list = new List<string>();
        for (int i = r.ReadInt32(); i > 0; i--) list.Add(r.ReadString());
        return list;
    }

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> list)
    {
        w.Write(list.Count);
        foreach (var s in list) w.Write(s);
    }
}
