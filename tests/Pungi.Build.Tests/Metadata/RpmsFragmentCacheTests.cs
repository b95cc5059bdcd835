using Pungi.Build.Compose;
using Pungi.Build.Metadata;
using Pungi.Build.Pkgset;
using Pungi.Build.Report;
using Pungi.Build.Tests.Build;
using Pungi.Build.Variants;

namespace Pungi.Build.Tests.Metadata;

/// <summary>
/// ComposeMetadata's cached rpms.json (issue 11: one changed variant costs its own share): after every kind of
/// change, the file written from cached per variant.arch fragments has the same bytes and warnings as the uncached
/// <see cref="RpmsManifest.Build"/> (a clean build of rpms.json) on the same work directory, and only the
/// variant.arches whose inputs changed are rebuilt. One spawned build of the sample product gives the real work
/// directory (package sets, lists, digests, linked trees); the changes are then made in process.
/// </summary>
[Collection("spawned builds")]
public sealed class RpmsFragmentCacheTests
{
    [SkippableFact]
    public void CachedRpmsJson_EqualsACleanOne_AfterEachChange_AndRebuildsOnlyWhatChanged()
    {
        using var p = SampleCompose.Create();
        var run = p.Build();
        Assert.True(run.ExitCode == 0, run.Describe());
        var layout = new ComposeLayout(SampleCompose.TopDir(p));
        var header = ComposeHeader.From(ComposeInfoJson.Read(layout.ComposeInfoBase).Compose);
        var model = VariantsXml.Load(Path.Combine(p.Dir, "variants.xml"));
        var cacheDir = RpmsFragment.CacheDir(layout);
        var rpmsJson = layout.Metadata("rpms.json");
        int jobs = Directory.EnumerateFiles(cacheDir, "*" + RpmsFragment.Extension).Count();
        Assert.True(jobs >= 4, "the build left one fragment per variant.arch");

        (int Reused, int Rebuilt) CheckAgainstClean()
        {
            var warnings = new List<string>();
            var (_, reused, rebuilt) = RpmsManifest.WriteCached(header, model, layout, rpmsJson, cacheDir, warnings.Add);
            var cleanWarnings = new List<string>();
            var clean = Path.Combine(p.Dir, "rpms-clean.json");
            RpmsManifest.Build(header, model, layout, cleanWarnings.Add).Write(clean);
            Assert.True(File.ReadAllBytes(clean).AsSpan().SequenceEqual(File.ReadAllBytes(rpmsJson)), "cached rpms.json differs from a clean one");
            Assert.Equal(cleanWarnings, warnings);
            // The report's counts saved beside it are those of the file parsed whole.
            var counted = ComposeManifest.Load(layout.Topdir, RpmsCounts.PathFor(layout));
            Assert.False(counted.PackagesLoaded, "the counts saved with rpms.json match its bytes");
            var parsed = ComposeManifest.Load(layout.Topdir);
            Assert.Equal(parsed.Counts.ToList(), counted.Counts.ToList());
            Assert.Equal(parsed.ComposeId, counted.ComposeId);
            return (reused, rebuilt);
        }

        // The build's own file already equals a clean one, and a rerun reuses every part.
        Assert.Equal((jobs, 0), CheckAgainstClean());

        // A package dropped from one variant.arch's list (as Gather rewrites it): that part only is rebuilt.
        var serverList = layout.PackageList("x86_64", model.Find("Server")!, "rpm");
        var lines = File.ReadAllLines(serverList).ToList();
        var dropped = lines[^1];
        File.WriteAllLines(serverList, lines[..^1]);
        Assert.Equal((jobs - 1, 1), CheckAgainstClean());
        Assert.DoesNotContain(RpmsJson.Read(rpmsJson).Rpms["Server"]["x86_64"].Values.SelectMany(r => r.Values),
            e => e.Path.EndsWith("/" + Path.GetFileName(dropped), StringComparison.Ordinal));

        // A deleted fragment and a fragment cut short are rebuilt.
        var fragment = RpmsFragment.PathFor(cacheDir, model.Find("Server")!, "x86_64");
        File.Delete(fragment);
        Assert.Equal((jobs - 1, 1), CheckAgainstClean());
        File.WriteAllBytes(fragment, File.ReadAllBytes(fragment)[..^10]);
        Assert.Equal((jobs - 1, 1), CheckAgainstClean());

        // A relink (its LinkPackages stamp touched) rebuilds that part, as files may have moved (hashed directories).
        File.SetLastWriteTimeUtc(Path.Combine(layout.WorkTopdir("x86_64"), "stamps", "LinkPackages-Server.x86_64.stamp"), DateTime.UtcNow);
        Assert.Equal((jobs - 1, 1), CheckAgainstClean());

        // Binaries are filed under an SRPM NEVRA looked up across the compose. Leave an SRPM in one variant.arch's
        // srpm list only (those parts rebuilt) while another variant.arch ships a binary of it; then take it out of
        // that last list too: the users' own lists did not change, but their lookup now fails (the NEVRA is guessed,
        // with a warning), so the owner and every user of the SRPM are rebuilt, and nothing else.
        var (srpmFile, owner, users) = FindSharedSrpm(layout, model);
        var listing = Jobs(layout, model).Where(j => j != owner && File.ReadAllLines(SrpmList(layout, j)).Any(l => Path.GetFileName(l) == srpmFile)).ToList();
        foreach (var j in listing) RemoveSrpm(layout, j, srpmFile);
        Assert.Equal((jobs - listing.Count, listing.Count), CheckAgainstClean());
        RemoveSrpm(layout, owner, srpmFile);
        var rebuilt = users.Append(owner).Distinct().Count();
        Assert.Equal((jobs - rebuilt, rebuilt), CheckAgainstClean());
        Assert.Contains($"the SRPM {srpmFile} of", string.Join("\n", Warnings(header, model, layout)), StringComparison.Ordinal);

        // An rpms.json with other bytes than ComposeMetadata wrote (here one entry fewer, by hand) is parsed, not counted from the cache.
        var edited = RpmsJson.Read(rpmsJson);
        var (firstVariant, arches) = edited.Rpms.First();
        var (firstArch, srpms) = arches.First();
        var (srpmKey, entries) = srpms.First();
        entries.Remove(entries.Keys.First());
        if (entries.Count == 0) srpms.Remove(srpmKey);
        edited.Write(rpmsJson);
        var reread = ComposeManifest.Load(layout.Topdir, RpmsCounts.PathFor(layout));
        Assert.True(reread.PackagesLoaded, "a changed rpms.json must not take the saved counts");
        Assert.Equal(ComposeManifest.Load(layout.Topdir).Counts.ToList(), reread.Counts.ToList());
        Assert.NotEqual(Counted(layout)[$"{firstVariant}.{firstArch}"], reread.Counts[$"{firstVariant}.{firstArch}"]);
    }

    /// <summary>The counts of the rpms.json ComposeMetadata wrote (the cache ignoring the current file).</summary>
    private static Dictionary<string, CategoryCounts> Counted(ComposeLayout layout)
        => File.ReadAllLines(RpmsCounts.PathFor(layout)).Skip(3).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => new CategoryCounts(
            int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture)));

    private static List<string> Warnings(ComposeHeader header, VariantModel model, ComposeLayout layout)
    {
        var warnings = new List<string>();
        RpmsManifest.Build(header, model, layout, warnings.Add);
        return warnings;
    }

    private static string SrpmList(ComposeLayout layout, (Variant V, string Arch) j) => layout.PackageList(j.Arch, j.V, "srpm");

    private static void RemoveSrpm(ComposeLayout layout, (Variant V, string Arch) j, string srpmFile)
        => File.WriteAllLines(SrpmList(layout, j), File.ReadAllLines(SrpmList(layout, j)).Where(l => Path.GetFileName(l) != srpmFile));

    private static List<(Variant V, string Arch)> Jobs(ComposeLayout layout, VariantModel model)
        => model.All.Where(v => !v.IsEmpty).SelectMany(v => v.Arches.Select(a => (V: v, Arch: a)))
            .Where(j => File.Exists(SrpmList(layout, j)) || File.Exists(layout.PackageList(j.Arch, j.V, "rpm"))).ToList();

    /// <summary>An SRPM that a variant.arch lists while another variant.arch ships a binary of it; all the jobs whose binaries use it.</summary>
    private static (string SrpmFile, (Variant V, string Arch) Owner, List<(Variant V, string Arch)> Users) FindSharedSrpm(ComposeLayout layout, VariantModel model)
    {
        var jobs = Jobs(layout, model);
        var sourceOf = new Dictionary<(Variant V, string Arch), HashSet<string>>();
        foreach (var j in jobs)
        {
            var set = PackageSetStore.LoadCompose(layout.WorkDir, j.Arch).Packages.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.First().Summary);
            var lists = new[] { "rpm", "debuginfo" }.Select(t => layout.PackageList(j.Arch, j.V, t)).Where(File.Exists);
            sourceOf[j] = lists.SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(l => set[l].SourceRpm).ToHashSet(StringComparer.Ordinal);
        }
        foreach (var owner in jobs.Where(j => File.Exists(SrpmList(layout, j))))
            foreach (var srpm in File.ReadAllLines(SrpmList(layout, owner)).Where(l => l.Length > 0).Select(Path.GetFileName))
            {
                var users = jobs.Where(j => sourceOf[j].Contains(srpm!)).ToList();
                if (users.Any(u => u != owner))
                    return (srpm!, owner, users);
            }
        Skip.If(true, "the sample has no SRPM whose binaries ship in two variant.arches");
        throw new InvalidOperationException();
    }
}
