namespace Pungi.Build.Pkgset;

/// <summary>Every file the Pkgset phase writes under <c>work/</c> (spec §1.4, <c>pungi/paths.py</c> names where upstream has them).</summary>
public static class PkgsetPaths
{
    /// <summary><c>work/global/package_list/global.repos.conf</c>: the global package list (paths relative to the prefix).</summary>
    public static string GlobalPackageList(string workDir, string name)
        => Path.Combine(workDir, "global", "package_list", $"global.{name}.conf");

    /// <summary><c>work/x86_64/package_list/x86_64.repos.conf</c>: one arch's package list.</summary>
    public static string ArchPackageList(string workDir, string arch, string name)
        => Path.Combine(workDir, arch, "package_list", $"{arch}.{name}.conf");

    /// <summary><c>work/x86_64/pkgset/repos.pkgset</c> (or <c>work/global/pkgset/repos.pkgset</c>): the set with whole packages, for Gather and Createrepo.</summary>
    public static string Store(string workDir, string arch, string name)
        => Path.Combine(workDir, arch, "pkgset", $"{name}.pkgset");

    /// <summary>
    /// pkgset_repo (spec §1.4): <c>work/&lt;arch&gt;/repo/&lt;name&gt;</c> or <c>work/global/repo/&lt;name&gt;</c>, the package set's
    /// repodata with locations relative to the path prefix and <c>xml:base=file://&lt;prefix&gt;</c>.
    /// </summary>
    public static string Repo(string workDir, string arch, string name)
        => Path.Combine(workDir, arch, "repo", name);

    /// <summary>
    /// <c>work/global/pkgset/pkgsets.txt</c>: the names of the package sets the Pkgset phase wrote, one a line, in
    /// upstream's order (§2.2.1 step 10: <c>pkgset_koji_tag</c> entries as configured; <c>repos</c> for that source).
    /// Every consumer reads the sets through it, so a set named after a Koji tag is seen downstream.
    /// </summary>
    public static string Names(string workDir)
        => Path.Combine(workDir, "global", "pkgset", "pkgsets.txt");

    /// <summary><c>work/x86_64/pkgset/depsolve.memo</c>: the repos source's last depsolve answer and its key (<see cref="DepsolveResolver"/>).</summary>
    public static string DepsolveMemo(string workDir, string arch)
        => Path.Combine(workDir, arch, "pkgset", "depsolve.memo");

    /// <summary><c>work/global/pkgset/repos.memo</c>: what the last repos-source run derived (<see cref="PkgsetRunMemo"/>).</summary>
    public static string RunMemo(string workDir)
        => Path.Combine(workDir, "global", "pkgset", "repos.memo");

    /// <summary><c>work/global/pkgset/header-cache.bin</c>.</summary>
    public static string HeaderCache(string workDir)
        => Path.Combine(workDir, "global", "pkgset", "header-cache.bin");
}
