namespace Pungi.Build.Rpm;

/// <summary>
/// Epoch, version and release. A missing epoch compares as 0 (rpm 4.15+ <c>rpmverCmp</c>, libsolv); a missing
/// or empty release on either side is not compared, which is how <c>Requires: foo = 1.0</c> matches any release.
/// </summary>
public readonly record struct Evr(string? Epoch, string Version, string? Release) : IComparable<Evr>
{
    /// <summary>Parses <c>[epoch:]version[-release]</c> as rpm's <c>rpmverParse</c> does.</summary>
    public static Evr Parse(string evr)
    {
        string? epoch = null;
        string rest = evr;
        int colon = evr.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && evr.AsSpan(0, colon).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            epoch = colon == 0 ? null : evr[..colon];
            rest = evr[(colon + 1)..];
        }
        string? release = null;
        int dash = rest.LastIndexOf('-');
        if (dash >= 0)
        {
            release = rest[(dash + 1)..];
            rest = rest[..dash];
        }
        return new Evr(epoch, rest, release);
    }

    public int CompareTo(Evr other)
    {
        int rc = RpmVersion.Compare(string.IsNullOrEmpty(Epoch) ? "0" : Epoch, string.IsNullOrEmpty(other.Epoch) ? "0" : other.Epoch);
        if (rc != 0) return rc;
        rc = RpmVersion.Compare(Version, other.Version);
        if (rc != 0) return rc;
        if (!string.IsNullOrEmpty(Release) && !string.IsNullOrEmpty(other.Release))
            rc = RpmVersion.Compare(Release, other.Release);
        return rc;
    }

    /// <summary>Full comparison for sorting packages: both releases are always compared.</summary>
    public static int ComparePackages(Evr a, Evr b)
    {
        int rc = RpmVersion.Compare(string.IsNullOrEmpty(a.Epoch) ? "0" : a.Epoch, string.IsNullOrEmpty(b.Epoch) ? "0" : b.Epoch);
        if (rc != 0) return rc;
        rc = RpmVersion.Compare(a.Version, b.Version);
        return rc != 0 ? rc : RpmVersion.Compare(a.Release ?? "", b.Release ?? "");
    }

    public static bool operator <(Evr a, Evr b) => a.CompareTo(b) < 0;
    public static bool operator >(Evr a, Evr b) => a.CompareTo(b) > 0;
    public static bool operator <=(Evr a, Evr b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Evr a, Evr b) => a.CompareTo(b) >= 0;

    public override string ToString()
        => (string.IsNullOrEmpty(Epoch) ? "" : Epoch + ":") + Version + (Release is null ? "" : "-" + Release);
}
