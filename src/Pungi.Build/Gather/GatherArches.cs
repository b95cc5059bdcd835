using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>
/// The arch classes the DNF depsolver works with (Pungi's <c>ArchWrapper</c> over the yum arch table): every arch a
/// tree of a given arch may carry, which of them are native, which are multilib, and the source arches.
/// </summary>
public sealed class GatherArches
{
    // yum's arch table: arch -> the next compatible (older) arch; the chain ends at noarch.
    private static readonly Dictionary<string, string> Compat = new(StringComparer.Ordinal)
    {
        ["x86_64"] = "athlon", ["athlon"] = "i686", ["i686"] = "i586", ["i586"] = "i486", ["i486"] = "i386",
        ["i386"] = "noarch",
        ["ppc64"] = "ppc", ["ppc"] = "noarch", ["ppc64le"] = "noarch", ["ppc64p7"] = "ppc64",
        ["s390x"] = "s390", ["s390"] = "noarch",
        ["aarch64"] = "noarch",
        ["armv7hnl"] = "armv7hl", ["armv7hl"] = "armv6hl", ["armv6hl"] = "noarch",
        ["armv7l"] = "armv6l", ["armv6l"] = "armv5tejl", ["armv5tejl"] = "armv5tel", ["armv5tel"] = "noarch",
        ["sparc64v"] = "sparc64", ["sparc64"] = "sparcv9v", ["sparcv9v"] = "sparcv9", ["sparcv9"] = "sparcv8",
        ["sparcv8"] = "sparc", ["sparc"] = "noarch",
        ["riscv64"] = "noarch", ["loongarch64"] = "noarch", ["mips64el"] = "noarch",
    };

    // yum's multilib table: a 64-bit arch -> the first arch of its 32-bit compat chain.
    private static readonly Dictionary<string, string> MultilibCompat = new(StringComparer.Ordinal)
    {
        ["x86_64"] = "athlon", ["ppc64"] = "ppc", ["ppc64p7"] = "ppc", ["s390x"] = "s390", ["sparc64"] = "sparcv9v",
        ["sparc64v"] = "sparcv9v",
    };

    /// <summary>Every arch name the tables know, plus <c>noarch</c>, <c>src</c>, <c>nosrc</c>.</summary>
    public static IReadOnlySet<string> KnownArches { get; } =
        new HashSet<string>(Compat.Keys.Concat(["noarch", "src", "nosrc"]), StringComparer.Ordinal);

    public GatherArches(string treeArch)
    {
        TreeArch = treeArch;
        YumArch = ToYumArch(treeArch);
        if (!Compat.ContainsKey(YumArch))
            throw new Diagnostics.PungiException(Diagnostics.ErrorCodes.GatherUnknownArch,
                $"Unknown gather arch '{treeArch}'; use one of: {string.Join(", ", Compat.Keys.Order(StringComparer.Ordinal))}.");
        AllArches = Chain(YumArch);
        MultilibArches = MultilibCompat.TryGetValue(YumArch, out var ml) ? Chain(ml).Where(a => a != "noarch").ToArray() : [];
        NativeArches = AllArches.Where(a => !MultilibArches.Contains(a)).ToArray();
    }

    public string TreeArch { get; }

    /// <summary>The arch the depsolver runs for (<c>i386</c> → <c>i686</c>, <c>armhfp</c> → <c>armv7hnl</c>, ...).</summary>
    public string YumArch { get; }

    /// <summary>The compatible chain with noarch last, e.g. x86_64, athlon, i686, i586, i486, i386, noarch.</summary>
    public IReadOnlyList<string> AllArches { get; }

    /// <summary>All arches minus the multilib ones (x86_64: x86_64, noarch).</summary>
    public IReadOnlyList<string> NativeArches { get; }

    /// <summary>The 32-bit compat chain (x86_64: athlon, i686, i586, i486, i386); empty where there is no multilib.</summary>
    public IReadOnlyList<string> MultilibArches { get; }

    public static IReadOnlyList<string> SourceArches { get; } = ["src", "nosrc"];

    /// <summary>Index of an arch in <see cref="AllArches"/> (best first), or int.MaxValue.</summary>
    public int ArchIndex(string arch)
    {
        for (int i = 0; i < AllArches.Count; i++)
            if (AllArches[i] == arch) return i;
        return int.MaxValue;
    }

    /// <summary>Pungi's <c>tree_arch_to_yum_arch</c>.</summary>
    public static string ToYumArch(string treeArch) => RpmArches.TreeArchToYumArch(treeArch);

    /// <summary>
    /// Arches a tree of <paramref name="treeArch"/> may take packages of (Pungi's <c>get_valid_arches</c>):
    /// the compatible chain, with the multilib chain only when asked, plus noarch and, if asked, src/nosrc.
    /// </summary>
    public static IReadOnlyList<string> ValidArches(string treeArch, bool multilib, bool addSource = false)
    {
        var g = new GatherArches(treeArch);
        var result = multilib ? g.AllArches.ToList() : g.NativeArches.ToList();
        if (addSource) result.AddRange(SourceArches);
        return result;
    }

    private static string[] Chain(string arch)
    {
        var result = new List<string>();
        for (string? a = arch; a is not null; a = Compat.GetValueOrDefault(a))
        {
            result.Add(a);
            if (a == "noarch") break;
        }
        if (result[^1] != "noarch") result.Add("noarch");
        return result.ToArray();
    }
}
