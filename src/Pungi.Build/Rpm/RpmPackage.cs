namespace Pungi.Build.Rpm;

/// <summary>Kind of an entry in a package's file list, as filelists.xml distinguishes them.</summary>
public enum PackageFileType
{
    File,
    Dir,
    Ghost,
}

public sealed record PackageFile(string Path, PackageFileType Type = PackageFileType.File);

public sealed record ChangelogEntry(string Author, long Date, string Text);

/// <summary>
/// Everything Pungi.Build knows about one package: what createrepo_c writes to primary, filelists and other,
/// plus the signing key and file identity. Filled from an RPM header (<see cref="RpmHeaderReader"/>) or from
/// repodata; phases after Pkgset read it from the header cache and never open the RPM again.
/// </summary>
public sealed class RpmPackage
{
    public required string Name { get; init; }
    /// <summary>The epoch as a string, null when the header has none (repodata writes it as 0).</summary>
    public string? Epoch { get; init; }
    public required string Version { get; init; }
    public required string Release { get; init; }
    /// <summary>Binary arch, or <c>src</c>/<c>nosrc</c> for source packages.</summary>
    public required string Arch { get; init; }

    public string Summary { get; init; } = "";
    public string Description { get; init; } = "";
    public string Packager { get; init; } = "";
    public string Url { get; init; } = "";
    public string License { get; init; } = "";
    public string Vendor { get; init; } = "";
    public string Group { get; init; } = "";
    public string BuildHost { get; init; } = "";
    /// <summary>The SRPM file name this binary was built from; empty for source packages.</summary>
    public string SourceRpm { get; init; } = "";

    public long BuildTime { get; init; }
    /// <summary>mtime of the RPM file (repodata <c>time file</c>).</summary>
    public long FileTime { get; init; }
    public long PackageSize { get; init; }
    public long InstalledSize { get; init; }
    public long ArchiveSize { get; init; }
    /// <summary>Byte range of the main header in the file, as createrepo_c's <c>rpm:header-range</c>.</summary>
    public long HeaderStart { get; init; }
    public long HeaderEnd { get; init; }

    public IReadOnlyList<Dependency> Provides { get; init; } = [];
    /// <summary>All of the header's requires, rpmlib() ones included; the repodata writer applies createrepo_c's filters.</summary>
    public IReadOnlyList<Dependency> Requires { get; init; } = [];
    public IReadOnlyList<Dependency> Conflicts { get; init; } = [];
    public IReadOnlyList<Dependency> Obsoletes { get; init; } = [];
    public IReadOnlyList<Dependency> Recommends { get; init; } = [];
    public IReadOnlyList<Dependency> Suggests { get; init; } = [];
    public IReadOnlyList<Dependency> Supplements { get; init; } = [];
    public IReadOnlyList<Dependency> Enhances { get; init; } = [];
    public IReadOnlyList<PackageFile> Files { get; init; } = [];
    /// <summary>Newest first, as in the header (other.xml lists them oldest first; the repodata writer turns them).</summary>
    public IReadOnlyList<ChangelogEntry> Changelogs { get; init; } = [];

    /// <summary>Short (16 hex digit, lower case) ID of the key that signed the package; null when unsigned.</summary>
    public string? SignatureKeyId { get; init; }

    /// <summary>
    /// The sigkey Pungi selects on: the last 8 hex digits of <see cref="SignatureKeyId"/>, lower case (Koji's
    /// <c>data/signed/&lt;sigkey&gt;/</c> directories, rpms.json <c>sigkey</c>); null when unsigned.
    /// </summary>
    public string? SigKey => SignatureKeyId is { Length: >= 8 } id ? id[^8..] : null;

    /// <summary>SHA1 and SHA256 digests of the main header (signature tags SHA1HEADER / SHA256HEADER), hex; null when absent.</summary>
    public string? HeaderSha1 { get; init; }
    public string? HeaderSha256 { get; init; }

    /// <summary>ExcludeArch / ExclusiveArch of the package (Pungi filters noarch packages by their SRPM's lists).</summary>
    public IReadOnlyList<string> ExcludeArch { get; init; } = [];
    public IReadOnlyList<string> ExclusiveArch { get; init; } = [];
    /// <summary>Path of the RPM relative to its repository root (repodata <c>location href</c>).</summary>
    public string Location { get => _location; init => _location = value; }
    private string _location = "";

    /// <summary>The same package at another place (a compose tree's repository instead of the package set).</summary>
    public RpmPackage WithLocation(string location)
    {
        var copy = (RpmPackage)MemberwiseClone();
        copy._location = location;
        return copy;
    }
    /// <summary>Checksum of the whole RPM file, lower-case hex, and its type (sha256, …).</summary>
    public string? Checksum { get; init; }
    public string ChecksumType { get; init; } = "sha256";

    public bool IsSource => Arch is "src" or "nosrc";

    /// <summary>The arch createrepo_c writes: <c>src</c> for both src and nosrc packages.</summary>
    public string RepodataArch => IsSource ? "src" : Arch;

    public Evr Evr => new(Epoch, Version, Release);

    /// <summary><c>name-[epoch:]version-release.arch</c> with the epoch only when non-zero, as Pungi prints it.</summary>
    public string Nevra => $"{Name}-{(string.IsNullOrEmpty(Epoch) || Epoch == "0" ? "" : Epoch + ":")}{Version}-{Release}.{Arch}";

    /// <summary><c>name-version-release.arch.rpm</c>: the file name built from the package, never from a location.</summary>
    public string FileName => $"{Name}-{Version}-{Release}.{Arch}.rpm";

    /// <summary>Name of the SRPM without <c>-version-release.src.rpm</c>, as Pungi uses it for fulltree.</summary>
    public string SourceName => IsSource ? Name : SplitSourceName(SourceRpm);

    public override string ToString() => Nevra;

    /// <summary>Strips <c>-version-release.src.rpm</c> from an SRPM file name.</summary>
    public static string SplitSourceName(string sourceRpm)
    {
        if (string.IsNullOrEmpty(sourceRpm)) return "";
        var s = sourceRpm;
        foreach (var suffix in new[] { ".src.rpm", ".nosrc.rpm" })
            if (s.EndsWith(suffix, StringComparison.Ordinal)) { s = s[..^suffix.Length]; break; }
        int r = s.LastIndexOf('-');
        if (r <= 0) return s;
        int v = s.LastIndexOf('-', r - 1);
        return v <= 0 ? s[..r] : s[..v];
    }
}
