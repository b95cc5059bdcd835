namespace Pungi.Build.Rpm;

/// <summary>
/// Pungi's arch rules (<c>pungi/arch.py</c> over the yum table copied into <c>pungi/arch_utils.py</c>, with
/// <c>_ppc64_native_is_best = True</c>): which package arches a tree arch takes, which of them are multilib.
/// </summary>
public static class RpmArches
{
    /// <summary>arch → the next compatible arch (yum's <c>arches</c> dict).</summary>
    private static readonly Dictionary<string, string> Compat = new(StringComparer.Ordinal)
    {
        // ia32
        ["athlon"] = "i686", ["i686"] = "i586", ["geode"] = "i586", ["i586"] = "i486", ["i486"] = "i386", ["i386"] = "noarch",
        // amd64
        ["x86_64"] = "athlon", ["amd64"] = "x86_64", ["ia32e"] = "x86_64",
        // ppc64le, ppc
        ["ppc64le"] = "noarch",
        ["ppc64p7"] = "ppc64", ["ppc64pseries"] = "ppc64", ["ppc64iseries"] = "ppc64", ["ppc64"] = "ppc", ["ppc"] = "noarch",
        // s390
        ["s390x"] = "s390", ["s390"] = "noarch",
        // sparc
        ["sparc64v"] = "sparcv9v", ["sparc64"] = "sparcv9", ["sparcv9v"] = "sparcv9", ["sparcv9"] = "sparcv8", ["sparcv8"] = "sparc", ["sparc"] = "noarch",
        // alpha
        ["alphaev7"] = "alphaev68", ["alphaev68"] = "alphaev67", ["alphaev67"] = "alphaev6", ["alphaev6"] = "alphapca56",
        ["alphapca56"] = "alphaev56", ["alphaev56"] = "alphaev5", ["alphaev5"] = "alphaev45", ["alphaev45"] = "alphaev4",
        ["alphaev4"] = "alpha", ["alpha"] = "noarch",
        // arm, arm hard float, arm64, aarch64
        ["armv7l"] = "armv6l", ["armv6l"] = "armv5tejl", ["armv5tejl"] = "armv5tel", ["armv5tel"] = "noarch",
        ["armv7hnl"] = "armv7hl", ["armv7hl"] = "armv6hl", ["armv6hl"] = "noarch",
        ["arm64"] = "noarch", ["aarch64"] = "noarch",
        // super-h, itanium
        ["sh4a"] = "sh4", ["sh4"] = "noarch", ["sh3"] = "noarch", ["ia64"] = "noarch",
    };

    /// <summary>arch → (multilib compat arch, best personality, biarch personality) (yum's <c>multilibArches</c>).</summary>
    private static readonly Dictionary<string, (string Compat, string Best, string Biarch)> Multilib = new(StringComparer.Ordinal)
    {
        ["x86_64"] = ("athlon", "x86_64", "athlon"),
        ["sparc64v"] = ("sparcv9v", "sparcv9v", "sparc64v"),
        ["sparc64"] = ("sparcv9", "sparcv9", "sparc64"),
        ["ppc64"] = ("ppc", "ppc64", "ppc64"),
        ["s390x"] = ("s390", "s390x", "s390"),
    };

    /// <summary>
    /// Tree arch → yum arch, Pungi 4's <c>TREE_ARCH_YUM_ARCH_MAP</c> (pungi/arch.py, spec §3.3.2): i386 → i686 and no
    /// entry for ppc64. The rpmUtils-era table (i386 → athlon, ppc64 → ppc64p7) is gone upstream: an i386 tree does not
    /// take athlon packages, nor a ppc64 tree ppc64p7 ones. The one table for the whole library (GatherArches uses it).
    /// </summary>
    private static readonly Dictionary<string, string> TreeToYum = new(StringComparer.Ordinal)
    {
        ["i386"] = "i686",
        ["sparc"] = "sparc64v",
        ["arm"] = "armv7l",
        ["armhfp"] = "armv7hnl",
    };

    /// <summary><c>tree_arch_to_yum_arch</c>.</summary>
    public static string TreeArchToYumArch(string treeArch) => TreeToYum.GetValueOrDefault(treeArch, treeArch);

    /// <summary><c>getArchList</c>: the arch followed by every arch compatible with it, ending in noarch.</summary>
    public static IReadOnlyList<string> GetArchList(string arch)
    {
        var list = new List<string> { arch };
        string a = arch;
        while (Compat.TryGetValue(a, out var next))
        {
            a = next;
            list.Add(a);
        }
        if (list[0] == "sparc64v") list.Insert(1, "sparc64");
        if (list.Count == 1) list.Add("noarch"); // an arch yum does not know
        return list;
    }

    /// <summary><c>getMultiArchInfo</c>: walks down the chain to the first arch with multilib info.</summary>
    private static (string Compat, string Best, string Biarch)? MultiArchInfo(string arch)
    {
        while (true)
        {
            if (Multilib.TryGetValue(arch, out var info)) return info;
            if (!Compat.TryGetValue(arch, out var next) || next == "noarch") return null;
            arch = next;
        }
    }

    /// <summary>The multilib compat arch of a yum arch (<c>get_multilib_arch</c>): x86_64 → athlon, ppc64 → ppc, s390x → s390; null for none.</summary>
    public static string? GetMultilibArch(string yumArch) => MultiArchInfo(yumArch)?.Compat;

    /// <summary><c>get_valid_multilib_arches</c>: x86_64 → athlon, i686, i586, i486, i386; ppc64 → ppc; s390x → s390; else empty.</summary>
    public static IReadOnlyList<string> GetValidMultilibArches(string treeArch)
    {
        var ml = GetMultilibArch(TreeArchToYumArch(treeArch));
        if (ml is null) return [];
        return GetArchList(ml).Where(a => a is not ("noarch" or "src")).ToList();
    }

    /// <summary>
    /// <c>get_valid_arches</c>: package arches a tree of <paramref name="treeArch"/> takes, in yum's order,
    /// without the multilib ones unless <paramref name="multilib"/>, then noarch and (optionally) src.
    /// </summary>
    public static IReadOnlyList<string> GetValidArches(string treeArch, bool multilib = true, bool addNoarch = true, bool addSrc = false)
    {
        var result = new List<string>();
        foreach (var a in GetArchList(TreeArchToYumArch(treeArch)))
            if (!result.Contains(a)) result.Add(a);
        if (!multilib)
            foreach (var m in GetValidMultilibArches(treeArch))
                result.RemoveAll(a => a == m);
        if (addNoarch && !result.Contains("noarch")) result.Add("noarch");
        if (addSrc && !result.Contains("src")) result.Add("src");
        return result;
    }

    /// <summary><c>get_compatible_arches</c>: the valid arches of the package arch's base arch.</summary>
    public static IReadOnlyList<string> GetCompatibleArches(string arch, bool multilib = false)
        => GetValidArches(GetBaseArch(arch), multilib);

    /// <summary><c>getBaseArch</c>: the tree arch a package arch belongs to (i686 → i386, ppc64p7 → ppc64, armv7hl → armhfp).</summary>
    public static string GetBaseArch(string arch)
    {
        if (!Compat.ContainsKey(arch)) return arch;
        if (arch.StartsWith("sparc64", StringComparison.Ordinal)) return "sparc";
        if (arch == "ppc64le") return "ppc64le";
        // _ppc64_native_is_best is True in Pungi, so ppc64* stays ppc64 through the multilib rule below.
        if (arch.StartsWith("arm64", StringComparison.Ordinal)) return "arm64";
        if (arch.StartsWith("armv6h", StringComparison.Ordinal) || arch.StartsWith("armv7h", StringComparison.Ordinal)) return "armhfp";
        if (arch.StartsWith("arm", StringComparison.Ordinal)) return "arm";
        if (IsMultilibArch(arch))
            return Multilib.ContainsKey(arch) ? arch : Compat[arch];
        string basearch = arch;
        string value = Compat[basearch];
        while (value != "noarch")
        {
            basearch = value;
            value = Compat[basearch];
        }
        return basearch;
    }

    /// <summary><c>isMultiLibArch</c>: the arch, or the next one down, has multilib info.</summary>
    public static bool IsMultilibArch(string arch)
        => Compat.TryGetValue(arch, out var next) && (Multilib.ContainsKey(arch) || Multilib.ContainsKey(next));

    /// <summary><c>is_valid_arch</c>: noarch, src, nosrc, or an arch in the table.</summary>
    public static bool IsValidArch(string arch) => arch is "noarch" or "src" or "nosrc" || Compat.ContainsKey(arch);

    /// <summary><c>split_name_arch</c>: <c>foo.i686</c> → (foo, i686); an unknown suffix stays part of the name.</summary>
    public static (string Name, string? Arch) SplitNameArch(string nameArch)
    {
        int dot = nameArch.LastIndexOf('.');
        if (dot < 0) return (nameArch, null);
        string arch = nameArch[(dot + 1)..];
        return IsValidArch(arch) ? (nameArch[..dot], arch) : (nameArch, null);
    }

    /// <summary><c>is_excluded</c>: ExcludeArch hits one of <paramref name="arches"/>, or ExclusiveArch misses all of them.</summary>
    public static bool IsExcluded(RpmPackage package, IEnumerable<string> arches)
    {
        var set = arches.ToHashSet(StringComparer.Ordinal);
        if (package.ExcludeArch.Count > 0 && package.ExcludeArch.Any(set.Contains)) return true;
        if (package.ExclusiveArch.Count > 0 && !package.ExclusiveArch.Any(set.Contains)) return true;
        return false;
    }
}
