namespace Pungi.Build.Rpm;

/// <summary>rpm's <c>RPMSENSE_*</c> bits as stored in the header's *FLAGS tags.</summary>
[Flags]
public enum DependencyFlags : uint
{
    None = 0,
    Less = 1 << 1,
    Greater = 1 << 2,
    Equal = 1 << 3,
    PostTrans = 1 << 5,
    PreReq = 1 << 6,
    PreTrans = 1 << 7,
    Interp = 1 << 8,
    ScriptPre = 1 << 9,
    ScriptPost = 1 << 10,
    ScriptPreUn = 1 << 11,
    ScriptPostUn = 1 << 12,
    ScriptVerify = 1 << 13,
    FindRequires = 1 << 14,
    FindProvides = 1 << 15,
    TriggerIn = 1 << 16,
    TriggerUn = 1 << 17,
    TriggerPostUn = 1 << 18,
    Missingok = 1 << 19,
    RpmLib = 1 << 24,
    TriggerPreIn = 1 << 25,
    Keyring = 1 << 26,
    Config = 1 << 28,
    SenseMask = Less | Greater | Equal,
}

/// <summary>
/// One provide, require, conflict, obsolete or weak dependency: a name (or a rich expression starting with
/// <c>(</c>), sense flags and an optional EVR.
/// </summary>
public sealed record Dependency(string Name, DependencyFlags Flags = DependencyFlags.None, string? Version = null)
{
    public DependencyFlags Sense => Flags & DependencyFlags.SenseMask;

    public bool IsVersioned => Sense != DependencyFlags.None && !string.IsNullOrEmpty(Version);

    public bool IsRich => Name.StartsWith('(');

    /// <summary>
    /// Whether two ranges with the same name overlap, as rpm's <c>rpmdsCompare</c>: an unversioned side always
    /// overlaps; otherwise the EVRs are compared (release ignored where one side lacks it) and the senses decide.
    /// </summary>
    public bool Overlaps(Dependency other)
    {
        if (!string.Equals(Name, other.Name, StringComparison.Ordinal)) return false;
        if (!IsVersioned || !other.IsVersioned) return true;
        return RangesOverlap(Evr.Parse(Version!), Sense, Evr.Parse(other.Version!), other.Sense);
    }

    /// <summary>rpm's <c>rpmdsCompareEVR</c> decision on two parsed ranges.</summary>
    public static bool RangesOverlap(Evr a, DependencyFlags aSense, Evr b, DependencyFlags bSense)
    {
        int sense = a.CompareTo(b);
        if (sense < 0)
            return (aSense & DependencyFlags.Greater) != 0 || (bSense & DependencyFlags.Less) != 0;
        if (sense > 0)
            return (aSense & DependencyFlags.Less) != 0 || (bSense & DependencyFlags.Greater) != 0;
        return ((aSense & DependencyFlags.Equal) != 0 && (bSense & DependencyFlags.Equal) != 0)
            || ((aSense & DependencyFlags.Less) != 0 && (bSense & DependencyFlags.Less) != 0)
            || ((aSense & DependencyFlags.Greater) != 0 && (bSense & DependencyFlags.Greater) != 0);
    }

    /// <summary>The sense as repodata writes it: <c>LT</c>, <c>GT</c>, <c>EQ</c>, <c>LE</c>, <c>GE</c>, or null.</summary>
    public string? RepodataFlags => Sense switch
    {
        DependencyFlags.Less => "LT",
        DependencyFlags.Greater => "GT",
        DependencyFlags.Equal => "EQ",
        DependencyFlags.Less | DependencyFlags.Equal => "LE",
        DependencyFlags.Greater | DependencyFlags.Equal => "GE",
        _ => null,
    };

    public override string ToString()
    {
        if (!IsVersioned) return Name;
        string op = Sense switch
        {
            DependencyFlags.Less => "<",
            DependencyFlags.Greater => ">",
            DependencyFlags.Equal => "=",
            DependencyFlags.Less | DependencyFlags.Equal => "<=",
            DependencyFlags.Greater | DependencyFlags.Equal => ">=",
            _ => "?",
        };
        return $"{Name} {op} {Version}";
    }
}
