namespace Pungi.Build.Rpm;

/// <summary>A require as primary.xml lists it: the dependency and createrepo_c's <c>pre="1"</c> mark.</summary>
public sealed record PrimaryRequire(Dependency Dependency, bool Pre);

/// <summary>
/// The filtering createrepo_c (<c>src/parsehdr.c</c> <c>cr_package_from_header</c>, <c>src/misc.h</c>
/// <c>cr_is_primary</c>) applies between an RPM header and repodata. The model keeps the raw header lists; the
/// repodata writer calls these.
/// </summary>
public static class CreaterepoRules
{
    /// <summary>createrepo_c's default <c>--changelog-limit</c>.</summary>
    public const int DefaultChangelogLimit = 10;

    /// <summary>
    /// Files listed in primary.xml (and the file requires it drops as self-satisfied): paths under <c>/etc/</c>,
    /// <c>/usr/lib/sendmail</c>, and any path containing <c>bin/</c> (<c>cr_is_primary</c>).
    /// </summary>
    public static bool IsPrimaryFile(string path)
        => path.StartsWith("/etc/", StringComparison.Ordinal)
           || path == "/usr/lib/sendmail"
           || path.Contains("bin/", StringComparison.Ordinal);

    /// <summary>
    /// Requires as primary.xml lists them, in createrepo_c's order and with its filters:
    /// <list type="number">
    /// <item>names starting with <c>rpmlib(</c> are dropped;</item>
    /// <item>a file require (<c>/…</c>) naming one of the package's own primary files is dropped;</item>
    /// <item>a require equal in name, flags and version to one of the package's provides is dropped;</item>
    /// <item><c>pre</c> is set when the flags have PREREQ, SCRIPT_PRE or SCRIPT_POST;</item>
    /// <item>a require repeating the previous require of the same name with the same flags, version and pre is dropped;</item>
    /// <item>of all <c>libc.so.6*</c> requires only the one with the highest <c>(GLIBC_x.y)</c> version is kept,
    /// and it goes last.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<PrimaryRequire> PrimaryRequires(RpmPackage package)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in package.Files) files.Add(f.Path);
        var provided = new HashSet<(string, string?, string)>();
        foreach (var p in package.Provides) provided.Add((p.Name, p.RepodataFlags, p.Version ?? ""));

        var result = new List<PrimaryRequire>();
        var last = new Dictionary<string, (string? Flags, string Version, bool Pre)>(StringComparer.Ordinal);
        PrimaryRequire? libc = null;
        foreach (var r in package.Requires)
        {
            if (r.Name.StartsWith("rpmlib(", StringComparison.Ordinal)) continue;
            if (r.Name.StartsWith('/') && files.Contains(r.Name) && IsPrimaryFile(r.Name)) continue;
            string? flags = r.RepodataFlags;
            string version = r.Version ?? "";
            if (provided.Contains((r.Name, flags, version))) continue;
            bool pre = (r.Flags & (DependencyFlags.PreReq | DependencyFlags.ScriptPre | DependencyFlags.ScriptPost)) != 0;
            if (last.TryGetValue(r.Name, out var seen) && seen.Flags == flags && seen.Version == version && seen.Pre == pre) continue;
            var entry = new PrimaryRequire(r, pre);
            if (r.Name.StartsWith("libc.so.6", StringComparison.Ordinal))
            {
                // createrepo_c keeps only the highest libc.so.6(GLIBC_x) require (and does not record it as seen).
                if (libc is null || CompareLibcRequire(libc.Dependency.Name, r.Name) == 2) libc = entry;
                continue;
            }
            result.Add(entry);
            last[r.Name] = (flags, version, pre);
        }
        if (libc is not null) result.Add(libc);
        return result;
    }

    /// <summary>
    /// The dependencies primary.xml lists for one kind: requires are filtered by <see cref="PrimaryRequires"/>;
    /// provides, conflicts, obsoletes and the weak kinds are written as the header has them.
    /// </summary>
    public static IReadOnlyList<Dependency> PrimaryDependencies(RpmPackage package, DependencyKind kind) => kind switch
    {
        DependencyKind.Requires => PrimaryRequires(package).Select(r => r.Dependency).ToList(),
        DependencyKind.Provides => package.Provides,
        DependencyKind.Conflicts => package.Conflicts,
        DependencyKind.Obsoletes => package.Obsoletes,
        DependencyKind.Recommends => package.Recommends,
        DependencyKind.Suggests => package.Suggests,
        DependencyKind.Supplements => package.Supplements,
        DependencyKind.Enhances => package.Enhances,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The files primary.xml lists (<see cref="IsPrimaryFile"/>), in header order.</summary>
    public static IEnumerable<PackageFile> PrimaryFiles(RpmPackage package) => package.Files.Where(f => IsPrimaryFile(f.Path));

    /// <summary>
    /// Changelog entries as other.xml lists them: the newest <paramref name="limit"/> header entries, written oldest
    /// first; trailing spaces cut from the author; and where consecutive entries share a timestamp, the older ones
    /// are bumped by one second each so dates stay distinct (createrepo_c's "ugly but works" rule).
    /// </summary>
    public static IReadOnlyList<ChangelogEntry> OtherChangelogs(RpmPackage package, int limit = DefaultChangelogLimit)
    {
        // Built like createrepo_c: walk header order (newest first), prepend each, bump the run of equal dates.
        var list = new List<(string Author, long Date, string Text)>();
        long lastTime = 0;
        foreach (var c in package.Changelogs)
        {
            if (limit <= 0) break;
            string author = c.Author;
            int end = author.Length;
            while (end > 1 && author[end - 1] == ' ') end--;
            list.Insert(0, (author[..end], c.Date, c.Text));
            limit--;
            if (lastTime == c.Date)
            {
                long t = c.Date;
                for (int k = 1; k < list.Count && list[k].Date == t; k++)
                {
                    list[k] = (list[k].Author, list[k].Date + 1, list[k].Text);
                    t++;
                }
            }
            else
            {
                lastTime = c.Date;
            }
        }
        return list.Select(e => new ChangelogEntry(e.Author, e.Date, e.Text)).ToList();
    }

    /// <summary>createrepo_c's <c>cr_compare_dependency</c>: 0 same, 1 first bigger, 2 second bigger.</summary>
    private static int CompareLibcRequire(string a, string b)
    {
        if (a == b) return 0;
        int pa = a.IndexOf('('), pb = b.IndexOf('(');
        if (pa < 0 && pb < 0) return 0;
        if (pa < 0) return 2;
        if (pb < 0) return 1;
        int ea = a.IndexOf(')', pa), eb = b.IndexOf(')', pb);
        if (ea < 0 && eb < 0) return -1;
        if (ea < 0) return 2;
        if (eb < 0) return 1;
        pa++; pb++;
        if (pa == ea && pb == eb) return 0;
        if (pa == ea) return 2;
        if (pb == eb) return 1;
        while (pa < a.Length && !char.IsAsciiDigit(a[pa])) pa++;
        while (pb < b.Length && !char.IsAsciiDigit(b[pb])) pb++;
        if (pa > ea && pb > eb) return 0;
        if (pa > ea) return 2;
        if (pb > eb) return 1;
        // Both stopped inside their parentheses, or on the closing one (then the version is empty).
        string va = pa <= ea ? a[pa..ea] : "", vb = pb <= eb ? b[pb..eb] : "";
        int rc = RpmVersion.Compare(va, vb);
        return rc == -1 ? 2 : rc;
    }
}

/// <summary>The dependency kinds of an RPM header and of primary.xml.</summary>
public enum DependencyKind
{
    Provides,
    Requires,
    Conflicts,
    Obsoletes,
    Recommends,
    Suggests,
    Supplements,
    Enhances,
}
