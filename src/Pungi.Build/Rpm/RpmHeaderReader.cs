using System.Security.Cryptography;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Rpm;

/// <summary>How <see cref="RpmHeaderReader.Read(string, RpmReadOptions?)"/> fills the parts of the model that do not come from the header.</summary>
public sealed record RpmReadOptions
{
    /// <summary>Checksum of the whole file to compute (<c>sha256</c>, <c>sha1</c>, <c>sha384</c>, <c>sha512</c>, <c>md5</c>); null for none.</summary>
    public string? ChecksumType { get; init; } = "sha256";

    /// <summary>The repodata <c>location href</c>; when null it is the path relative to <see cref="RepositoryRoot"/>, else the file name.</summary>
    public string? Location { get; init; }

    /// <summary>Root the location is made relative to (with <c>/</c> separators), as createrepo_c does for its input directory.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>Keep at most this many changelog entries, newest first (null keeps all, as <c>rpm -q --changelog</c>).</summary>
    public int? ChangelogLimit { get; init; }

    /// <summary>Whether to read the file list (createrepo_c always does; a header cache for gather may skip it).</summary>
    public bool ReadFiles { get; init; } = true;
}

/// <summary>One file of a package with everything the header says about it (as <c>rpm -qp --dump</c>).</summary>
public sealed record RpmFileEntry(
    string Path,
    long Size,
    long MTime,
    string Digest,
    int Mode,
    string User,
    string Group,
    RpmFileFlags Flags,
    int Rdev,
    string LinkTo)
{
    public bool IsDirectory => (Mode & 0xf000) == 0x4000;
    public bool IsSymlink => (Mode & 0xf000) == 0xa000;
    public bool IsRegular => (Mode & 0xf000) == 0x8000;
    public bool IsGhost => (Flags & RpmFileFlags.Ghost) != 0;
}

/// <summary>
/// Reads RPM packages natively into <see cref="RpmPackage"/>: the header bytes only (lead, signature header, main
/// header), plus a streamed checksum of the file when asked. Every failure is a <see cref="PungiException"/> with a
/// <c>PUNGI20xx</c> code naming the file.
/// </summary>
public static class RpmHeaderReader
{
    /// <summary>Reads one RPM into the package model (header range, sizes, dependencies, files, changelogs, signature).</summary>
    public static RpmPackage Read(string path, RpmReadOptions? options = null)
    {
        options ??= new RpmReadOptions();
        var file = RpmFile.Open(path);
        DateTime mtime;
        try
        {
            mtime = File.GetLastWriteTimeUtc(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.RpmUnreadable, $"cannot stat the RPM: {ex.Message}", path, inner: ex);
        }
        string? checksum = options.ChecksumType is null ? null : ComputeChecksum(path, options.ChecksumType);
        string location = options.Location
            ?? (options.RepositoryRoot is null
                ? System.IO.Path.GetFileName(path)
                : System.IO.Path.GetRelativePath(options.RepositoryRoot, path).Replace('\\', '/'));
        return ToPackage(file, options, new DateTimeOffset(mtime).ToUnixTimeSeconds(), checksum, location);
    }

    /// <summary>Builds the model from already-read headers (no file access).</summary>
    public static RpmPackage ToPackage(RpmFile file, RpmReadOptions? options = null, long fileTime = 0, string? checksum = null, string location = "")
    {
        options ??= new RpmReadOptions();
        var h = file.Header;
        var s = file.Signature;
        string name = Required(file, RpmTag.Name, "NAME");
        string version = Required(file, RpmTag.Version, "VERSION");
        string release = Required(file, RpmTag.Release, "RELEASE");
        string headerArch = Required(file, RpmTag.Arch, "ARCH");

        // A source package's ARCH tag is the build arch; rpm decides by the absence of SOURCERPM, createrepo_c by
        // SOURCEPACKAGE. nosrc: rpmbuild names the package .nosrc.rpm when NoSource/NoPatch are set (koji's rule).
        long? sourcePackage = h.GetNumber(RpmTag.SourcePackage);
        bool isSource = sourcePackage is not null ? sourcePackage != 0 : !h.Has(RpmTag.SourceRpm);
        string arch = !isSource ? headerArch : h.Has(RpmTag.NoSource) || h.Has(RpmTag.NoPatch) ? "nosrc" : "src";

        long? epoch = h.GetNumber(RpmTag.Epoch);
        var signatures = file.GetSignatures();

        return new RpmPackage
        {
            Name = name,
            Epoch = epoch?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Version = version,
            Release = release,
            Arch = arch,
            Summary = h.GetString(RpmTag.Summary) ?? "",
            Description = h.GetString(RpmTag.Description) ?? "",
            Packager = h.GetString(RpmTag.Packager) ?? "",
            Url = h.GetString(RpmTag.Url) ?? "",
            License = h.GetString(RpmTag.License) ?? "",
            Vendor = h.GetString(RpmTag.Vendor) ?? "",
            Group = h.GetString(RpmTag.Group) ?? "",
            BuildHost = h.GetString(RpmTag.BuildHost) ?? "",
            SourceRpm = isSource ? "" : h.GetString(RpmTag.SourceRpm) ?? "",
            BuildTime = h.GetNumber(RpmTag.BuildTime) ?? 0,
            FileTime = fileTime,
            PackageSize = file.FileSize,
            InstalledSize = h.GetNumber(RpmTag.LongSize) ?? h.GetNumber(RpmTag.Size) ?? 0,
            ArchiveSize = ArchiveSize(file),
            HeaderStart = file.HeaderStart,
            HeaderEnd = file.HeaderEnd,
            Provides = Dependencies(file, RpmTag.ProvideName, RpmTag.ProvideFlags, RpmTag.ProvideVersion),
            Requires = Dependencies(file, RpmTag.RequireName, RpmTag.RequireFlags, RpmTag.RequireVersion),
            Conflicts = Dependencies(file, RpmTag.ConflictName, RpmTag.ConflictFlags, RpmTag.ConflictVersion),
            Obsoletes = Dependencies(file, RpmTag.ObsoleteName, RpmTag.ObsoleteFlags, RpmTag.ObsoleteVersion),
            Recommends = Dependencies(file, RpmTag.RecommendName, RpmTag.RecommendFlags, RpmTag.RecommendVersion),
            Suggests = Dependencies(file, RpmTag.SuggestName, RpmTag.SuggestFlags, RpmTag.SuggestVersion),
            Supplements = Dependencies(file, RpmTag.SupplementName, RpmTag.SupplementFlags, RpmTag.SupplementVersion),
            Enhances = Dependencies(file, RpmTag.EnhanceName, RpmTag.EnhanceFlags, RpmTag.EnhanceVersion),
            Files = options.ReadFiles ? Files(file) : [],
            Changelogs = Changelogs(file, options.ChangelogLimit),
            SignatureKeyId = signatures.Count > 0 ? signatures[0].Signature.KeyId : null,
            HeaderSha1 = s.GetString(RpmTag.SigSha1),
            HeaderSha256 = s.GetString(RpmTag.SigSha256),
            ExcludeArch = h.GetStringArray(RpmTag.ExcludeArch),
            ExclusiveArch = h.GetStringArray(RpmTag.ExclusiveArch),
            Location = location,
            Checksum = checksum,
            ChecksumType = options.ChecksumType ?? "sha256",
        };
    }

    private static string Required(RpmFile file, int tag, string name)
        => file.Header.GetString(tag) ?? throw new PungiException(ErrorCodes.RpmMissingTag, $"the RPM header has no {name} tag (or it is not a string)", file.Path);

    /// <summary>
    /// Archive (uncompressed cpio) size: rpm moves the signature header's PAYLOADSIZE / LONGARCHIVESIZE into the main
    /// header's ARCHIVESIZE / LONGARCHIVESIZE when it reads a package; createrepo_c asks for LONGARCHIVESIZE, which
    /// falls back to the 32-bit tag.
    /// </summary>
    private static long ArchiveSize(RpmFile file)
        => file.Header.GetNumber(RpmTag.LongArchiveSize)
           ?? file.Signature.GetNumber(RpmTag.SigLongArchiveSize)
           ?? file.NumberWithSignatureFallback(RpmTag.ArchiveSize, RpmTag.SigPayloadSize)
           ?? 0;

    private static Dependency[] Dependencies(RpmFile file, int nameTag, int flagsTag, int versionTag)
    {
        var h = file.Header;
        var names = h.GetStringArray(nameTag);
        if (names.Length == 0) return [];
        var flags = h.GetNumbers(flagsTag);
        var versions = h.GetStringArray(versionTag);
        var result = new Dependency[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            // rpm tolerates missing flags/versions arrays (old packages): a missing entry is unversioned.
            var f = i < flags.Length ? (DependencyFlags)(uint)flags[i] : DependencyFlags.None;
            string? v = i < versions.Length && versions[i].Length > 0 ? versions[i] : null;
            result[i] = new Dependency(names[i], f, v);
        }
        return result;
    }

    /// <summary>File paths and types as createrepo_c's filelists: dir by mode, else ghost by flag, else file.</summary>
    private static PackageFile[] Files(RpmFile file)
    {
        var h = file.Header;
        var paths = FilePaths(file);
        if (paths.Length == 0) return [];
        var modes = h.GetNumbers(RpmTag.FileModes);
        var fflags = h.GetNumbers(RpmTag.FileFlags);
        var result = new PackageFile[paths.Length];
        for (int i = 0; i < paths.Length; i++)
        {
            long mode = i < modes.Length ? modes[i] : 0;
            long fl = i < fflags.Length ? fflags[i] : 0;
            var type = (mode & 0xf000) == 0x4000 ? PackageFileType.Dir
                : (fl & (long)RpmFileFlags.Ghost) != 0 ? PackageFileType.Ghost
                : PackageFileType.File;
            result[i] = new PackageFile(paths[i], type);
        }
        return result;
    }

    /// <summary>Full paths: DIRNAMES[DIRINDEXES[i]] + BASENAMES[i], or OLDFILENAMES in pre-4.0 packages.</summary>
    public static string[] FilePaths(RpmFile file)
    {
        var h = file.Header;
        var basenames = h.GetStringArray(RpmTag.BaseNames);
        if (basenames.Length == 0) return h.GetStringArray(RpmTag.OldFileNames);
        var dirnames = h.GetStringArray(RpmTag.DirNames);
        var dirindexes = h.GetNumbers(RpmTag.DirIndexes);
        if (dirindexes.Length != basenames.Length)
            throw new PungiException(ErrorCodes.RpmBadHeader, $"the main header is corrupt: {basenames.Length} BASENAMES but {dirindexes.Length} DIRINDEXES", file.Path);
        var result = new string[basenames.Length];
        for (int i = 0; i < basenames.Length; i++)
        {
            long d = dirindexes[i];
            if (d < 0 || d >= dirnames.Length)
                throw new PungiException(ErrorCodes.RpmBadHeader, $"the main header is corrupt: DIRINDEXES[{i}] = {d} but there are {dirnames.Length} DIRNAMES", file.Path);
            result[i] = string.Concat(dirnames[(int)d], basenames[i]);
        }
        return result;
    }

    /// <summary>Every file with its header metadata, in header order (the order of <c>rpm -qp --dump</c>).</summary>
    public static IReadOnlyList<RpmFileEntry> ReadFileEntries(RpmFile file)
    {
        var h = file.Header;
        var paths = FilePaths(file);
        var sizes = h.GetNumbers(RpmTag.LongFileSizes);
        if (sizes.Length == 0) sizes = h.GetNumbers(RpmTag.FileSizes);
        var mtimes = h.GetNumbers(RpmTag.FileMtimes);
        var digests = h.GetStringArray(RpmTag.FileDigests);
        var modes = h.GetNumbers(RpmTag.FileModes);
        var users = h.GetStringArray(RpmTag.FileUserName);
        var groups = h.GetStringArray(RpmTag.FileGroupName);
        var flags = h.GetNumbers(RpmTag.FileFlags);
        var rdevs = h.GetNumbers(RpmTag.FileRdevs);
        var links = h.GetStringArray(RpmTag.FileLinkTos);
        var result = new RpmFileEntry[paths.Length];
        for (int i = 0; i < paths.Length; i++)
        {
            result[i] = new RpmFileEntry(
                paths[i],
                At(sizes, i),
                At(mtimes, i),
                i < digests.Length ? digests[i] : "",
                (int)At(modes, i),
                i < users.Length ? users[i] : "root",
                i < groups.Length ? groups[i] : "root",
                (RpmFileFlags)(uint)At(flags, i),
                (int)At(rdevs, i),
                i < links.Length ? links[i] : "");
        }
        return result;

        static long At(long[] a, int i) => i < a.Length ? a[i] : 0;
    }

    /// <summary>Changelog entries in header order (newest first), at most <paramref name="limit"/>.</summary>
    private static ChangelogEntry[] Changelogs(RpmFile file, int? limit)
    {
        var h = file.Header;
        var times = h.GetNumbers(RpmTag.ChangelogTime);
        if (times.Length == 0) return [];
        var names = h.GetStringArray(RpmTag.ChangelogName);
        var texts = h.GetStringArray(RpmTag.ChangelogText);
        int n = Math.Min(times.Length, Math.Min(names.Length, texts.Length));
        if (limit is int l) n = Math.Min(n, Math.Max(0, l));
        var result = new ChangelogEntry[n];
        for (int i = 0; i < n; i++)
            result[i] = new ChangelogEntry(names[i], times[i], texts[i]);
        return result;
    }

    /// <summary>Streams the whole file through the named hash; lower-case hex.</summary>
    public static string ComputeChecksum(string path, string checksumType)
    {
        HashAlgorithmName alg = checksumType.ToLowerInvariant() switch
        {
            "sha256" => HashAlgorithmName.SHA256,
            "sha" or "sha1" => HashAlgorithmName.SHA1,
            "sha384" => HashAlgorithmName.SHA384,
            "sha512" => HashAlgorithmName.SHA512,
            "md5" => HashAlgorithmName.MD5,
            _ => throw new PungiException(ErrorCodes.RpmUnsupportedChecksum,
                $"checksum type '{checksumType}' is not supported (use sha256, sha1, sha384, sha512 or md5)", path),
        };
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var hash = IncrementalHash.CreateHash(alg);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = fs.Read(buffer, 0, buffer.Length)) > 0)
                hash.AppendData(buffer, 0, n);
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.RpmUnreadable, $"cannot read the RPM to checksum it: {ex.Message}", path, inner: ex);
        }
    }
}
