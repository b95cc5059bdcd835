using Pungi.Build.Pkgset;
using Xunit;

namespace Pungi.Build.Tests.Koji;

/// <summary>
/// Several <c>pkgset_koji_tag</c> entries give several package sets, one per tag (spec §2.2.1 steps 4 and 10); the
/// consumers see them merged in the configured order, a package name of an earlier tag hiding it in later ones.
/// </summary>
public sealed class KojiPkgsetMergeTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("pungi-koji-merge-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    private string Repo(string name, params string[] files)
    {
        var dir = Path.Combine(_tmp, name);
        Directory.CreateDirectory(dir);
        foreach (var f in files)
            File.Copy(Path.Combine(TestPaths.PungiDummyRpms, f), Path.Combine(dir, Path.GetFileName(f)));
        return dir;
    }

    private void Build(string work, string name, string dir)
        => PackageSetBuilder.Build(new PkgsetRequest
        {
            Source = new RepositorySource([new PackageRepositoryInput(dir)], name),
            WorkDir = work,
            Arches = ["x86_64"],
        });

    [Fact]
    public void TheFirstTagWinsForAName_InConfiguredOrder()
    {
        var work = Path.Combine(_tmp, "work");
        // "updates" has dummy-bash 4.2.37-6; "base" has 4.2.37-5 and dummy-basesystem, which only it provides
        Build(work, "f41-updates", Repo("updates", "x86_64/dummy-bash-4.2.37-6.x86_64.rpm", "src/dummy-bash-4.2.37-6.src.rpm"));
        Build(work, "f41", Repo("base", "x86_64/dummy-bash-4.2.37-5.x86_64.rpm", "src/dummy-bash-4.2.37-5.src.rpm",
            "noarch/dummy-basesystem-10.0-6.noarch.rpm", "src/dummy-basesystem-10.0-6.src.rpm"));

        // before Pkgset recorded any names (an older work dir): the repos set, as before
        Assert.Equal(["repos"], PackageSetStore.Names(work));

        PackageSetStore.WriteNames(work, ["f41-updates", "f41"]);
        Assert.Equal(["f41-updates", "f41"], PackageSetStore.Names(work));
        var merged = PackageSetStore.LoadCompose(work, "x86_64").Packages.Select(e => e.Package.Nevra).Order(StringComparer.Ordinal);
        Assert.Equal(["dummy-basesystem-10.0-6.noarch", "dummy-basesystem-10.0-6.src", "dummy-bash-4.2.37-6.src", "dummy-bash-4.2.37-6.x86_64"], merged);

        PackageSetStore.WriteNames(work, ["f41", "f41-updates"]);
        merged = PackageSetStore.LoadCompose(work, "x86_64").Packages.Select(e => e.Package.Nevra).Order(StringComparer.Ordinal);
        Assert.Equal(["dummy-basesystem-10.0-6.noarch", "dummy-basesystem-10.0-6.src", "dummy-bash-4.2.37-5.src", "dummy-bash-4.2.37-5.x86_64"], merged);

        // one name: that set as written, nothing merged
        PackageSetStore.WriteNames(work, ["f41-updates"]);
        Assert.Equal(2, PackageSetStore.LoadCompose(work, "x86_64").Packages.Count);
        Assert.Equal("f41-updates", PackageSetStore.LoadCompose(work, "global").Name);
    }

    /// <summary>
    /// rpms.json's summaries and the trees' entries by path (<see cref="PackageSetStore.LoadComposeEntries"/>) equal the merged set's, path by
    /// path, with one set (read selectively) and with several (merged whole); a path hidden by the merge or not in any
    /// set is missing.
    /// </summary>
    [Fact]
    public void SummariesOfSomePaths_EqualThoseOfTheMergedSet()
    {
        var work = Path.Combine(_tmp, "work");
        Build(work, "f41-updates", Repo("updates", "x86_64/dummy-bash-4.2.37-6.x86_64.rpm", "src/dummy-bash-4.2.37-6.src.rpm"));
        Build(work, "f41", Repo("base", "x86_64/dummy-bash-4.2.37-5.x86_64.rpm", "src/dummy-bash-4.2.37-5.src.rpm",
            "noarch/dummy-basesystem-10.0-6.noarch.rpm", "src/dummy-basesystem-10.0-6.src.rpm"));
        foreach (string[] names in new[] { new[] { "f41-updates", "f41" }, ["f41", "f41-updates"], ["f41"], ["f41-updates"] })
        {
            PackageSetStore.WriteNames(work, names);
            var all = PackageSetStore.LoadCompose(work, "x86_64").Packages.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.First().Summary);
            var everyPath = Directory.EnumerateFiles(_tmp, "*.rpm", SearchOption.AllDirectories).Append(Path.Combine(_tmp, "missing.rpm")).ToHashSet(StringComparer.Ordinal);
            foreach (var wanted in new[] { everyPath, everyPath.Where(p => p.Contains("basesystem", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal), [] })
            {
                var some = PackageSetStore.LoadComposeSummaries(work, "x86_64", wanted);
                var expected = all.Where(kv => wanted.Contains(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(Describe).ToList();
                Assert.Equal(expected, some.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(Describe).ToList());
                // The entries Createrepo and Repoclosure read: the merged set's, record and list path included.
                var entries = PackageSetStore.LoadComposeEntries(work, "x86_64", wanted);
                Assert.Equal(some.Keys.Order(StringComparer.Ordinal), entries.Keys.Order(StringComparer.Ordinal));
                foreach (var (path, e) in entries)
                {
                    var whole = PackageSetStore.LoadCompose(work, "x86_64").Packages.First(x => x.Path == path);
                    Assert.Equal((whole.RelativePath, whole.InvalidSigkey, whole.Package.Checksum), (e.RelativePath, e.InvalidSigkey, e.Package.Checksum));
                }
            }
            Assert.NotEmpty(PackageSetStore.LoadComposeSummaries(work, "x86_64", everyPath));
        }
    }

    private static string Describe(KeyValuePair<string, PackageSummary> kv)
        => $"{kv.Key} {kv.Value.Name} {kv.Value.Epoch} {kv.Value.Version} {kv.Value.Release} {kv.Value.Arch} {kv.Value.SourceRpm} {kv.Value.SignatureKeyId} " +
           $"[{string.Join(',', kv.Value.ExcludeArch)}] [{string.Join(',', kv.Value.ExclusiveArch)}]";
}
