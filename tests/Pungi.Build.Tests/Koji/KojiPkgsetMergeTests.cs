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
}
