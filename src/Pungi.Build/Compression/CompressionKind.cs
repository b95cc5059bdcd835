namespace Pungi.Build.Compression;

/// <summary>How a repodata file is compressed, as createrepo_c's <c>--compress-type</c> names them.</summary>
public enum CompressionKind
{
    /// <summary>Plain file, no suffix.</summary>
    None,
    /// <summary><c>.gz</c>, createrepo_c's default.</summary>
    Gzip,
    /// <summary><c>.xz</c>; writing needs Debian's liblzma.</summary>
    Xz,
    /// <summary><c>.zst</c>, Fedora's current default.</summary>
    Zstd,
    /// <summary><c>.bz2</c>, createrepo_c's default for the sqlite databases.</summary>
    Bzip2,
}
