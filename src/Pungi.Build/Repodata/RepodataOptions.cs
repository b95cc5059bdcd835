using Pungi.Build.Compression;

namespace Pungi.Build.Repodata;

/// <summary>What <see cref="RepodataWriter"/> writes, mirroring the createrepo_c arguments Pungi passes (§2.6).</summary>
public sealed record RepodataOptions
{
    /// <summary><c>--checksum</c> (<c>CreaterepoChecksum</c>): sha1, sha224, sha256 (default), sha384, sha512.</summary>
    public string ChecksumType { get; init; } = RepodataChecksum.Default;

    /// <summary>Compression of primary/filelists/other and of the group file's compressed copy (default gz).</summary>
    public CompressionKind Compression { get; init; } = CompressionKind.Gzip;

    /// <summary><c>--database</c> (<c>CreaterepoDatabase</c>): also write primary/filelists/other sqlite databases.</summary>
    public bool Database { get; init; }

    /// <summary>Compression of the sqlite databases; createrepo_c's default is bz2.</summary>
    public CompressionKind DatabaseCompression { get; init; } = CompressionKind.Bzip2;

    /// <summary><c>--unique-md-filenames</c> (createrepo_c's default, and Pungi's): <c>&lt;checksum&gt;-primary.xml.gz</c>.</summary>
    public bool UniqueMdFilenames { get; init; } = true;

    /// <summary><c>--groupfile</c>: a comps file recorded as <c>group</c> plus its compressed copy (<c>group_gz</c>).</summary>
    public string? GroupFile { get; init; }

    /// <summary><c>--revision</c>; default: the timestamp.</summary>
    public string? Revision { get; init; }

    /// <summary>
    /// Unix time for every record's <c>timestamp</c> (<c>--set-timestamp-to-revision</c>); default: the
    /// <c>SOURCE_DATE_EPOCH</c> environment variable, else the current time.
    /// </summary>
    public long? Timestamp { get; init; }

    /// <summary><c>--changelog-limit</c> (createrepo_c's default 10; -1 keeps all).</summary>
    public int ChangelogLimit { get; init; } = CreaterepoRules.DefaultChangelogLimit;

    /// <summary>Sort packages by file name as createrepo_c does (true); false keeps the order given.</summary>
    public bool SortByFileName { get; init; } = true;

    /// <summary>createrepo_c <c>--baseurl</c>: written as every package location's <c>xml:base</c> (and sqlite's location_base).</summary>
    public string? BaseUrl { get; init; }
}

/// <summary>What a write produced.</summary>
public sealed record RepodataResult(string RepomdPath, Repomd Repomd, int PackageCount);
