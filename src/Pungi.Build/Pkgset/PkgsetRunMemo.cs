using System.Security.Cryptography;
using System.Text;

namespace Pungi.Build.Pkgset;

/// <summary>
/// <c>work/global/pkgset/repos.memo</c>: what the last repos-source run of <see cref="PackageSetBuilder"/> saw and
/// derived, so a rerun whose RPM files did not change (Pkgset reruns when gather's inputs change, as its depsolve
/// asks for them) neither lists the repositories nor loads the header cache nor hashes the sets again.
/// <para>
/// Trusted only when everything it was derived from is unchanged, each checked rather than assumed: the listing of the
/// repositories' RPM files taken in this build (<see cref="PkgsetRequest.RepositoryListing"/>: path and lstat identity —
/// size, mtime in ns, device, inode, type — of each, so every candidate's <see cref="FileStamp"/> and symlink-ness as the
/// full run would see them) and the options (<see cref="Key"/>); what the listing cannot pin, checked again: each
/// symlinked RPM's target stamp, and that every directory and link still resolves inside its repository; the header
/// cache file (its stat with ctime); and the output files (package lists by content hash, stores by fingerprint). The
/// resolver still answers each arch; only its answer's consequences are remembered. Self-validating, so a memo left by
/// an older state is simply not used.
/// </para>
/// <para>
/// The listing is the build's own, taken moments before the phase: an RPM changed in between is seen by the next build,
/// whose listing differs (as any MSBuild input changed mid-build). A full run saves the memo only when the listing it
/// takes again at its end is the build's, so what it saw is what the key says.
/// </para>
/// </summary>
internal sealed class PkgsetRunMemo
{
    private const string Magic = "PUNGI-PKGSET-RUN-MEMO";
    private const int FormatVersion = 1;

    public required string Key { get; init; }
    public required HeaderCacheStamp HeaderCache { get; init; }
    /// <summary>Per repository (request order): what <see cref="RepositorySource"/> checks resolves inside it.</summary>
    public required IReadOnlyList<RepoCheck> Checks { get; init; }
    /// <summary>Every candidate in order (read only when a record is needed: see <see cref="TryLoad"/>).</summary>
    public IReadOnlyList<MemoCandidate>? Candidates { get; init; }
    public required int CandidateCount { get; init; }
    /// <summary>The chosen items' summaries (latest signed per name.arch), in chosen order.</summary>
    public required IReadOnlyList<PackageSummary> Chosen { get; init; }
    /// <summary>For each chosen item, its index in <see cref="Candidates"/> (where its record is cached).</summary>
    public required int[] ChosenCandidates { get; init; }
    public required IReadOnlyList<MemoArch> Arches { get; init; }
    /// <summary>The warnings of the set rules (missing SRPMs), in order.</summary>
    public required IReadOnlyList<PkgsetWarning> Warnings { get; init; }
    public required IReadOnlyList<InvalidSigkeyPackage> Invalid { get; init; }
    /// <summary>Global first, then the arches in request order (the order the files are written).</summary>
    public required IReadOnlyList<MemoOutput> Outputs { get; init; }

    /// <summary>A candidate RPM file: its path and the stamp its header was cached under.</summary>
    public sealed record MemoCandidate(string Path, FileStamp Stamp);

    /// <summary>
    /// The files below one repository: the directories of its regular RPM files (each file's real path is its
    /// directory's plus its name) and its symlinked RPMs with the stamps of what they point at.
    /// </summary>
    public sealed record RepoCheck(IReadOnlyList<string> Dirs, IReadOnlyList<MemoCandidate> Links);

    /// <summary>One tree arch: its pool (indices into <see cref="Chosen"/>), the pool's identity, and the indices into the pool the resolver kept.</summary>
    public sealed record MemoArch(string Arch, string PoolIdentity, int[] Pool, int[] Kept);

    /// <summary>One package set's two files (paths follow from the work dir): the list by SHA-256 of its bytes, the store by its fingerprint.</summary>
    public sealed record MemoOutput(string Arch, int Count, byte[] ListHash, byte[] Fingerprint);

    /// <summary>The header cache file as the run left it; ctime too, since a rewrite in place keeps the inode.</summary>
    public readonly record struct HeaderCacheStamp(long Size, long MtimeNs, long CtimeNs, ulong Device, ulong Inode)
    {
        /// <summary>Null when the file is missing or cannot be stat'ed (or statx is not available: no memo then).</summary>
        public static HeaderCacheStamp? Of(string path)
            => Compose.Statx.Stat(path, out var r, out _) == Compose.Statx.Outcome.Ok
                ? new HeaderCacheStamp(r.Size, r.MtimeNs, r.CtimeNs, r.Device, r.Inode)
                : null;
    }

    /// <summary>
    /// Everything besides the RPM files that the memo's content is a function of: the code (the assembly's build id),
    /// the listing, the repositories and the options the set rules read. The wanted packages are not in it: they
    /// only decide which invalid-sigkey packages are errors, which is checked again on every run.
    /// </summary>
    public static string KeyOf(PkgsetRequest request, string name, string prefix)
    {
        var sb = new StringBuilder();
        void Line(string tag, string? value) => sb.Append(tag).Append('=').Append(value?.Replace("\n", "\\n", StringComparison.Ordinal) ?? "\0").Append('\n');
        Line("format", FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Line("build", typeof(PkgsetRunMemo).Assembly.ManifestModule.ModuleVersionId.ToString());
        Line("listing", request.RepositoryListing);
        foreach (var r in request.Repositories) Line("repo", Path.GetFullPath(r.Path) + "|" + r.Arch);
        Line("name", name);
        Line("prefix", prefix);
        foreach (var a in request.Arches) Line("arch", a);
        foreach (var k in request.Sigkeys) Line("sigkey", k);
        foreach (var m in request.MultilibArches.Order(StringComparer.Ordinal)) Line("multilib", m);
        Line("noarch", request.ExclusiveArchConsidersNoarch.ToString());
        Line("checksum", request.ChecksumType);
        Line("resolver", (request.Resolver is not null).ToString());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>The memo at <paramref name="path"/> when it is one of this format with key <paramref name="key"/>; else null.</summary>
    /// <param name="withCandidates">Also read <see cref="Candidates"/> (20,000 paths at the size, only needed to find records).</param>
    public static PkgsetRunMemo? TryLoad(string path, string key, bool withCandidates = false)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            using var head = new BinaryReader(fs, Encoding.UTF8);
            if (head.ReadString() != Magic || head.ReadInt32() != FormatVersion || head.ReadString() != key) return null;
            // The part a warm run needs, read in one piece and parsed from memory (BinaryReader reads a MemoryStream's
            // buffer directly; a FileStream's many small reads each go through its buffering); the candidates stay on disk.
            var main = new byte[head.ReadInt32()];
            fs.ReadExactly(main);
            using var r = new BinaryReader(new MemoryStream(main, writable: false), Encoding.UTF8);
            var cache = new HeaderCacheStamp(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadUInt64(), r.ReadUInt64());
            int candidateCount = r.ReadInt32();
            var checks = new RepoCheck[r.ReadInt32()];
            for (int i = 0; i < checks.Length; i++)
            {
                var dirs = new string[r.ReadInt32()];
                for (int k = 0; k < dirs.Length; k++) dirs[k] = r.ReadString();
                var links = new MemoCandidate[r.ReadInt32()];
                for (int k = 0; k < links.Length; k++) links[k] = ReadCandidate(r);
                checks[i] = new RepoCheck(dirs, links);
            }
            // The summaries' strings once each (names of arches, versions, keys repeat across thousands of packages).
            var strings = new string[r.Read7BitEncodedInt()];
            for (int i = 0; i < strings.Length; i++) strings[i] = r.ReadString();
            string? Str() => r.Read7BitEncodedInt() is var n and > 0 ? strings[n - 1] : null;
            string[] Strs()
            {
                var a = new string[r.Read7BitEncodedInt()];
                for (int i = 0; i < a.Length; i++) a[i] = Str()!;
                return a;
            }
            var chosen = new PackageSummary[r.ReadInt32()];
            for (int i = 0; i < chosen.Length; i++)
                chosen[i] = new PackageSummary(Str()!, Str(), Str()!, Str()!, Str()!, Str()!, Str(), Strs(), Strs());
            var chosenCandidates = ReadInts(r, candidateCount);
            if (chosenCandidates.Length != chosen.Length) throw new InvalidDataException("chosen items without candidates");
            var arches = new MemoArch[r.ReadInt32()];
            for (int i = 0; i < arches.Length; i++)
            {
                string arch = r.ReadString(), identity = r.ReadString();
                var pool = ReadInts(r, chosen.Length);
                arches[i] = new MemoArch(arch, identity, pool, ReadInts(r, pool.Length));
            }
            var warnings = new PkgsetWarning[r.ReadInt32()];
            for (int i = 0; i < warnings.Length; i++)
                warnings[i] = new PkgsetWarning(r.ReadString(), r.ReadString(), r.ReadBoolean() ? r.ReadString() : null);
            var invalid = new InvalidSigkeyPackage[r.ReadInt32()];
            for (int i = 0; i < invalid.Length; i++)
                invalid[i] = new InvalidSigkeyPackage(r.ReadString(), r.ReadString(), r.ReadBoolean() ? r.ReadString() : null, r.ReadString());
            var outputs = new MemoOutput[r.ReadInt32()];
            for (int i = 0; i < outputs.Length; i++)
                outputs[i] = new MemoOutput(r.ReadString(), r.ReadInt32(), r.ReadBytes(32), r.ReadBytes(32));
            MemoCandidate[]? candidates = null;
            if (withCandidates)
            {
                candidates = new MemoCandidate[candidateCount];
                for (int i = 0; i < candidates.Length; i++) candidates[i] = ReadCandidate(head);
            }
            return new PkgsetRunMemo
            {
                Key = key, HeaderCache = cache, Checks = checks, CandidateCount = candidateCount, Candidates = candidates, Chosen = chosen,
                ChosenCandidates = chosenCandidates, Arches = arches, Warnings = warnings, Invalid = invalid, Outputs = outputs,
            };
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException or FormatException or InvalidDataException)
        {
            return null; // only ever a shortcut: the full run follows
        }
    }

    private static MemoCandidate ReadCandidate(BinaryReader r)
        => new(r.ReadString(), new FileStamp(r.ReadInt64(), r.ReadInt64(), r.ReadUInt64(), r.ReadUInt64()));

    private static void WriteCandidate(BinaryWriter w, MemoCandidate c)
    {
        w.Write(c.Path);
        w.Write(c.Stamp.Size); w.Write(c.Stamp.MtimeNs); w.Write(c.Stamp.Device); w.Write(c.Stamp.Inode);
    }

    private static int[] ReadInts(BinaryReader r, int bound)
    {
        var a = new int[r.Read7BitEncodedInt()];
        for (int i = 0; i < a.Length; i++)
            if ((uint)(a[i] = r.Read7BitEncodedInt()) >= (uint)bound) throw new InvalidDataException("index out of range");
        return a;
    }

    private static void WriteInts(BinaryWriter w, IReadOnlyCollection<int> ints)
    {
        w.Write7BitEncodedInt(ints.Count);
        foreach (var i in ints) w.Write7BitEncodedInt(i);
    }

    public void Save(string path)
    {
        if (Candidates is null || Candidates.Count != CandidateCount) throw new InvalidOperationException("a memo is saved with its candidates");
        using var ms = new MemoryStream(1 << 20);
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(Key);
            long lengthAt = ms.Position;
            w.Write(0); // the length of what follows up to the candidates, filled in below
            w.Write(HeaderCache.Size); w.Write(HeaderCache.MtimeNs); w.Write(HeaderCache.CtimeNs); w.Write(HeaderCache.Device); w.Write(HeaderCache.Inode);
            w.Write(CandidateCount);
            w.Write(Checks.Count);
            foreach (var c in Checks)
            {
                w.Write(c.Dirs.Count); foreach (var d in c.Dirs) w.Write(d);
                w.Write(c.Links.Count); foreach (var l in c.Links) WriteCandidate(w, l);
            }
            var table = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var s in Chosen)
                foreach (var x in new[] { s.Name, s.Epoch, s.Version, s.Release, s.Arch, s.SourceRpm, s.SignatureKeyId }.Concat(s.ExcludeArch).Concat(s.ExclusiveArch))
                    if (x is not null) table.TryAdd(x, table.Count + 1);
            w.Write7BitEncodedInt(table.Count);
            foreach (var x in table.Keys) w.Write(x); // in insertion order: index - 1
            void Str(string? x) => w.Write7BitEncodedInt(x is null ? 0 : table[x]);
            void Strs(IReadOnlyList<string> xs)
            {
                w.Write7BitEncodedInt(xs.Count);
                foreach (var x in xs) Str(x);
            }
            w.Write(Chosen.Count);
            foreach (var s in Chosen)
            {
                Str(s.Name); Str(s.Epoch); Str(s.Version); Str(s.Release); Str(s.Arch); Str(s.SourceRpm); Str(s.SignatureKeyId);
                Strs(s.ExcludeArch); Strs(s.ExclusiveArch);
            }
            WriteInts(w, ChosenCandidates);
            w.Write(Arches.Count);
            foreach (var a in Arches)
            {
                w.Write(a.Arch); w.Write(a.PoolIdentity);
                WriteInts(w, a.Pool);
                WriteInts(w, a.Kept);
            }
            w.Write(Warnings.Count);
            foreach (var x in Warnings)
            {
                w.Write(x.Code); w.Write(x.Message);
                w.Write(x.File is not null); if (x.File is not null) w.Write(x.File);
            }
            w.Write(Invalid.Count);
            foreach (var x in Invalid)
            {
                w.Write(x.Name); w.Write(x.Nevra);
                w.Write(x.SigKey is not null); if (x.SigKey is not null) w.Write(x.SigKey);
                w.Write(x.Path);
            }
            w.Write(Outputs.Count);
            foreach (var o in Outputs)
            {
                w.Write(o.Arch); w.Write(o.Count); w.Write(o.ListHash); w.Write(o.Fingerprint);
            }
            // Last, so a warm run stops reading before them.
            w.Flush();
            long end = ms.Position;
            ms.Position = lengthAt;
            w.Write(checked((int)(end - lengthAt - 4)));
            w.Flush();
            ms.Position = end;
            foreach (var c in Candidates) WriteCandidate(w, c);
        }
        AtomicFile.Write(path, ms.GetBuffer().AsSpan(0, (int)ms.Length));
    }

    /// <summary>Removes a memo the run could not replace, so no older state's memo outlives a run that did not write one.</summary>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Self-validating anyway: a stale memo is checked against every input and output before it is used.
        }
    }
}

/// <summary>What the sigkey check needs of a package kept without an acceptable key.</summary>
internal sealed record InvalidSigkeyPackage(string Name, string Nevra, string? SigKey, string Path);
