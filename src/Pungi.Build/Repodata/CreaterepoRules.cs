using Pungi.Build.Rpm;

namespace Pungi.Build.Repodata;

/// <summary>One dependency as repodata writes it: createrepo_c's <c>cr_Dependency</c>.</summary>
internal readonly record struct RepoDependency(string Name, string? Flags, string? Epoch, string? Version, string? Release, bool Pre);

/// <summary>A package's dependency lists after createrepo_c's header rules, in primary.xml's element order.</summary>
internal sealed record RepoDependencies(
    List<RepoDependency> Provides, List<RepoDependency> Requires, List<RepoDependency> Conflicts, List<RepoDependency> Obsoletes,
    List<RepoDependency> Suggests, List<RepoDependency> Enhances, List<RepoDependency> Recommends, List<RepoDependency> Supplements);

/// <summary>
/// What createrepo_c (0.17, <c>src/parsehdr.c</c> <c>cr_package_from_header</c> and <c>src/misc.c</c>) does to a
/// header's data before it writes repodata. An <see cref="RpmPackage"/> carries the header's raw lists; the writer
/// applies these rules, and applying them to lists read back from repodata changes nothing (they are idempotent).
/// </summary>
internal static class CreaterepoRules
{
    /// <summary>createrepo_c's default <c>--changelog-limit</c>.</summary>
    public const int DefaultChangelogLimit = 10;

    /// <summary>
    /// <c>cr_is_primary</c>: the files primary.xml lists (and whose self-requires are dropped): anything under
    /// <c>/etc/</c>, anything with <c>bin/</c> anywhere in its path, and <c>/usr/lib/sendmail</c>.
    /// </summary>
    public static bool IsPrimaryFile(string path)
        => path.StartsWith("/etc/", StringComparison.Ordinal)
        || path == "/usr/lib/sendmail"
        || path.Contains("bin/", StringComparison.Ordinal);

    /// <summary><c>cr_flag_to_str</c>: the low sense bits as LT/GT/EQ/LE/GE; anything else (0, or LT|GT) is none.</summary>
    public static string? FlagsToString(DependencyFlags flags) => ((uint)flags & 0xf) switch
    {
        2 => "LT",
        4 => "GT",
        8 => "EQ",
        10 => "LE",
        12 => "GE",
        _ => null,
    };

    /// <summary>
    /// <c>cr_str_to_evr</c>: epoch before the first <c>:</c> (0 when absent), version up to the first <c>-</c>,
    /// release after it (none when empty). <paramref name="badEpoch"/> is set when the epoch is not a number, and
    /// createrepo_c then skips the dependency.
    /// </summary>
    public static (string? Epoch, string? Version, string? Release) SplitEvr(string? evr, out bool badEpoch)
    {
        badEpoch = false;
        if (string.IsNullOrEmpty(evr)) return (null, null, null);
        string? epoch = null;
        int start = 0;
        int colon = evr.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var e = evr[..colon];
            if (IsStrtolNumber(e)) { if (e.Length > 0) epoch = e; }
            else badEpoch = true;
            start = colon + 1;
        }
        if (epoch is null && !badEpoch) epoch = "0";
        int dash = evr.IndexOf('-', start);
        if (dash < 0) return (epoch, evr[start..], null);
        var release = evr[(dash + 1)..];
        return (epoch, evr[start..dash], release.Length == 0 ? null : release);
    }

    // strtol(s, &p, 10) stopping exactly at the colon: optional blanks and sign, then digits; or nothing at all.
    private static bool IsStrtolNumber(string s)
    {
        if (s.Length == 0) return true;
        int i = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
        int digits = i;
        while (i < s.Length && s[i] is >= '0' and <= '9') i++;
        return i == s.Length && i > digits;
    }

    /// <summary>
    /// The dependency lists as createrepo_c writes them. Requires lose, in this order: <c>rpmlib(…)</c>; a path the
    /// package itself ships when that path is a primary file; an exact copy (name+flags+version) of one of its own
    /// provides; a repeat of the last kept require of the same name with equal flags, version and <c>pre</c>.
    /// <c>pre="1"</c> comes from the PREREQ, SCRIPT_PRE and SCRIPT_POST bits. Of several <c>libc.so.6*</c> requires
    /// only the highest (by <c>cr_compare_dependency</c>) is kept, and it is moved to the end. Any dependency whose
    /// version has a non-numeric epoch is skipped.
    /// </summary>
    public static RepoDependencies Dependencies(RpmPackage pkg)
    {
        var provided = new HashSet<string>(StringComparer.Ordinal);
        var provides = Convert(pkg.Provides, d => provided.Add(d.Name + FlagsToString(d.Flags) + (d.Version ?? "")));

        HashSet<string>? files = null;
        var requires = new List<RepoDependency>(pkg.Requires.Count);
        var lastKept = new Dictionary<string, (string? Flags, string Version, bool Pre)>(StringComparer.Ordinal);
        RepoDependency? libc = null;
        foreach (var d in pkg.Requires)
        {
            if (d.Name.StartsWith("rpmlib(", StringComparison.Ordinal)) continue;
            string? flags = FlagsToString(d.Flags);
            string version = d.Version ?? "";
            if (d.Name.StartsWith('/') && IsPrimaryFile(d.Name))
            {
                files ??= pkg.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
                if (files.Contains(d.Name)) continue;
            }
            if (provided.Contains(d.Name + flags + version)) continue;
            bool pre = (d.Flags & (DependencyFlags.PreReq | DependencyFlags.ScriptPre | DependencyFlags.ScriptPost)) != 0;
            if (lastKept.TryGetValue(d.Name, out var last) && last.Flags == flags && last.Version == version && last.Pre == pre)
                continue;
            var (epoch, ver, rel) = SplitEvr(d.Version, out bool bad);
            if (bad) continue;
            var dep = new RepoDependency(d.Name, flags, epoch, ver, rel, pre);
            if (d.Name.StartsWith("libc.so.6", StringComparison.Ordinal))
            {
                if (libc is null || CompareLibc(libc.Value.Name, d.Name) == 2) libc = dep;
                continue;
            }
            requires.Add(dep);
            lastKept[d.Name] = (flags, version, pre);
        }
        if (libc is not null) requires.Add(libc.Value);

        return new RepoDependencies(provides, requires, Convert(pkg.Conflicts), Convert(pkg.Obsoletes),
            Convert(pkg.Suggests), Convert(pkg.Enhances), Convert(pkg.Recommends), Convert(pkg.Supplements));
    }

    private static List<RepoDependency> Convert(IReadOnlyList<Dependency> deps, Action<Dependency>? kept = null)
    {
        var list = new List<RepoDependency>(deps.Count);
        foreach (var d in deps)
        {
            var (epoch, ver, rel) = SplitEvr(d.Version, out bool bad);
            if (bad) continue;
            kept?.Invoke(d);
            list.Add(new RepoDependency(d.Name, FlagsToString(d.Flags), epoch, ver, rel, false));
        }
        return list;
    }

    /// <summary>
    /// <c>cr_compare_dependency</c> on two <c>libc.so.6…</c> names: 0 same, 1 first bigger, 2 second bigger — by the
    /// rpmvercmp of the first number-led run inside the first parentheses (<c>libc.so.6(GLIBC_2.4)</c> beats
    /// <c>libc.so.6(GLIBC_2.3.4)(64bit)</c>, which beats <c>libc.so.6()</c>).
    /// </summary>
    public static int CompareLibc(string a, string b)
    {
        int o1 = a.IndexOf('('), o2 = b.IndexOf('(');
        if (o1 < 0 && o2 < 0) return 0;
        if (o1 < 0) return 2;
        if (o2 < 0) return 1;
        int c1 = a.IndexOf(')', o1), c2 = b.IndexOf(')', o2);
        if (c1 < 0 && c2 < 0) return -1;
        if (c1 < 0) return 2;
        if (c2 < 0) return 1;
        int v1 = o1 + 1, v2 = o2 + 1;
        if (v1 == c1 && v2 == c2) return 0;
        if (v1 == c1) return 2;
        if (v2 == c2) return 1;
        while (v1 < a.Length && a[v1] is < '0' or > '9') v1++;
        while (v2 < b.Length && b[v2] is < '0' or > '9') v2++;
        if (v1 > c1 && v2 > c2) return 0;
        if (v1 > c1) return 2;
        if (v2 > c2) return 1;
        // C's strndup(ver, end - ver) with ver past end yields "", never a negative length.
        int rc = RpmVersion.Compare(a[v1..Math.Max(v1, c1)], b[v2..Math.Max(v2, c2)]);
        return rc == -1 ? 2 : rc;
    }

    /// <summary>
    /// other.xml's changelog: the first <paramref name="limit"/> entries of the header (newest first), written oldest
    /// first; authors lose trailing blanks; where two entries share a time the newer ones are pushed forward by a
    /// second each so that dates stay distinct (createrepo_c's "ugly but works" fix).
    /// </summary>
    public static List<ChangelogEntry> Changelogs(IReadOnlyList<ChangelogEntry> headerOrder, int limit = DefaultChangelogLimit)
    {
        var list = new List<(string Author, long Date, string Text)>();
        long lastTime = 0;
        foreach (var c in headerOrder)
        {
            if (limit != -1 && list.Count >= limit) break;
            list.Insert(0, (TrimAuthor(c.Author), c.Date, c.Text));
            if (lastTime == c.Date)
            {
                long tmp = c.Date;
                for (int i = 1; i < list.Count && list[i].Date == tmp; i++)
                {
                    list[i] = list[i] with { Date = list[i].Date + 1 };
                    tmp++;
                }
            }
            else lastTime = c.Date;
        }
        return list.ConvertAll(e => new ChangelogEntry(e.Author, e.Date, e.Text));
    }

    // Trailing spaces go, but never the first character (the C loop stops at index 1).
    private static string TrimAuthor(string author)
    {
        int end = author.Length;
        while (end > 1 && author[end - 1] == ' ') end--;
        return end == author.Length ? author : author[..end];
    }
}
