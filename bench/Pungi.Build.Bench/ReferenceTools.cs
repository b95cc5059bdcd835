namespace Pungi.Build.Bench;

/// <summary>A reference tool run on the same input: what it did, its time and peak RSS, and whether it passed.</summary>
internal sealed record ReferenceRun(string Job, string Command, double WallSeconds, long PeakRssKb, int ExitCode, int Runs);

/// <summary>The upstream tools for the same jobs: createrepo_c (Createrepo, Pkgset) and dnf repoclosure (Repoclosure).</summary>
internal static class ReferenceTools
{
    /// <summary><c>createrepo_c --workers 2 --no-database</c> over the whole synthetic repository (every header read).</summary>
    public static ReferenceRun CreaterepoWholeRepo(string repoDir, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var m = Measured.Run(outDir, null, "createrepo_c", "--workers", "2", "--no-database", "--outputdir", outDir, repoDir);
        return new ReferenceRun("createrepo_c, whole repository", $"createrepo_c --workers 2 --no-database -o OUT {repoDir}", m.WallSeconds, m.PeakRssKb, m.ExitCode, 1);
    }

    /// <summary>
    /// createrepo_c over every tree of our compose (each dir holding repodata/), one run per tree as Pungi runs it,
    /// writing to a scratch folder so our repodata stays as built. Wall times summed, peak RSS the largest.
    /// </summary>
    public static ReferenceRun CreaterepoComposeTrees(string composeDir, string outDir)
    {
        var trees = Directory.EnumerateFiles(composeDir, "repomd.xml", SearchOption.AllDirectories)
            .Select(f => Path.GetDirectoryName(Path.GetDirectoryName(f)!)!)
            .Order(StringComparer.Ordinal)
            .ToList();
        double wall = 0;
        long rss = 0;
        int exit = 0, i = 0;
        foreach (var tree in trees)
        {
            var o = Directory.CreateDirectory(Path.Combine(outDir, $"tree{i++}")).FullName;
            // The tree's own repodata/ is skipped by createrepo_c (it only picks *.rpm files).
            var m = Measured.Run(o, null, "createrepo_c", "--workers", "2", "--no-database", "--outputdir", o, tree);
            wall += m.WallSeconds;
            rss = Math.Max(rss, m.PeakRssKb);
            if (m.ExitCode != 0) exit = m.ExitCode;
        }
        return new ReferenceRun($"createrepo_c, each of the {trees.Count} compose trees", "createrepo_c --workers 2 --no-database -o OUT TREE (per tree, summed)", wall, rss, exit, trees.Count);
    }

    /// <summary><c>dnf repoclosure</c> on a repository, cold (fresh cache dir, so it parses the XML and builds its solv cache).</summary>
    public static ReferenceRun Repoclosure(string job, string repoDir, string scratch)
    {
        if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        Directory.CreateDirectory(scratch);
        // An empty dnf.conf: /dev/null is rejected, and the host's config would enable gpgcheck (toolchain notes §3).
        var conf = Path.Combine(scratch, "dnf.conf");
        File.WriteAllText(conf, "[main]\n");
        string[] args =
        [
            "-q", "-y", $"--config={conf}", "--setopt=reposdir=/dev/null", $"--installroot={scratch}/root",
            $"--setopt=cachedir={scratch}/cache", "--releasever=1", $"--repofrompath=r,{repoDir}", "--repo=r", "repoclosure",
        ];
        var m = Measured.Run(scratch, null, "dnf", args);
        return new ReferenceRun(job, "dnf --repofrompath=r,REPO --repo=r repoclosure (fresh cachedir)", m.WallSeconds, m.PeakRssKb, m.ExitCode, 1);
    }

    /// <summary>
    /// <c>xorrisofs</c> over every tree our Createiso made an image of (the os and source trees with an iso/ beside
    /// them), with upstream's non-bootable arguments (spec §7.4) and no md5 implant; wall times summed.
    /// </summary>
    public static ReferenceRun XorrisoComposeTrees(string composeDir, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var trees = Directory.EnumerateFiles(composeDir, "*.iso", SearchOption.AllDirectories)
            .Select(iso => Path.GetDirectoryName(Path.GetDirectoryName(iso)!)!)
            .Distinct(StringComparer.Ordinal)
            .SelectMany(archDir => new[] { Path.Combine(archDir, "os"), Path.Combine(archDir, "tree") })
            .Where(Directory.Exists)
            .Order(StringComparer.Ordinal)
            .ToList();
        double wall = 0;
        long rss = 0;
        int exit = 0, i = 0;
        foreach (var tree in trees)
        {
            var iso = Path.Combine(outDir, $"tree{i++}.iso");
            var m = Measured.Run(outDir, null, "xorrisofs", "-untranslated-filenames", "-volid", "BENCH", "-J", "-joliet-long",
                "-rational-rock", "-quiet", "-o", iso, tree);
            wall += m.WallSeconds;
            rss = Math.Max(rss, m.PeakRssKb);
            if (m.ExitCode != 0) exit = m.ExitCode;
            File.Delete(iso);
        }
        return new ReferenceRun($"xorrisofs, each of the {trees.Count} imaged trees", "xorrisofs -untranslated-filenames -volid V -J -joliet-long -rational-rock -o OUT TREE (per tree, summed)", wall, rss, exit, trees.Count);
    }
}
