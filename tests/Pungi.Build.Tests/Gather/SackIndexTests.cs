using Xunit;
using Pungi.Build.Gather;
using Pungi.Build.Pkgset;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tests.Gather;

/// <summary>
/// The depsolver's saved lookup index and the package set read on demand (the Gather task's path): lookups equal a
/// scan of the decoded packages (libsolv's provides: explicit ones, the implicit <c>name = evr</c>, file lists; none
/// from source packages), the file reads back only for its own package set, and a solve decodes what it reads.
/// </summary>
public sealed class SackIndexTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pungi-sack-index-" + Guid.NewGuid().ToString("N")[..8]);

    private static IReadOnlyList<RpmPackage> Dummy => FixtureRepo.DummyPackageSet.Value.Select(p => p.Package).ToList();

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static List<string> Scan(IReadOnlyList<RpmPackage> packages, string name)
    {
        var found = new List<string>();
        for (int i = 0; i < packages.Count; i++)
        {
            var p = packages[i];
            if (p.IsSource) continue;
            foreach (var d in p.Provides.Where(d => d.Name == name)) found.Add($"{i} {d}");
            if (p.Name == name && !p.Provides.Any(d => d.Name == p.Name))
                found.Add($"{i} {new Dependency(p.Name, DependencyFlags.Equal, p.Evr.ToString())}");
        }
        return found;
    }

    private static List<string> Lookup(SackIndex index, string name) => index.Provides(name).Select(x => $"{x.Package} {x.Provide}").ToList();

    [Fact]
    public void Lookups_equal_a_scan_of_the_decoded_packages()
    {
        var packages = Dummy;
        var index = SackIndex.Build(packages, "id");
        var names = packages.SelectMany(p => p.Provides.Select(d => d.Name).Append(p.Name)).Distinct().ToList();
        Assert.True(names.Count > 300);
        foreach (var name in names)
            Assert.Equal(Scan(packages, name), Lookup(index, name));
        var paths = packages.Where(p => !p.IsSource).SelectMany(p => p.Files.Select(f => f.Path)).Distinct().ToList();
        Assert.NotEmpty(paths);
        foreach (var path in paths)
        {
            var owners = Enumerable.Range(0, packages.Count).Where(i => !packages[i].IsSource && packages[i].Files.Any(f => f.Path == path));
            Assert.Equal(owners, index.FileOwners(path));
        }
        Assert.Empty(index.Provides("no-such-provide"));
        Assert.Empty(index.FileOwners("/no/such/file"));
        // A source package's name is provided by nothing (the binaries of the same name provide it, if any).
        var srcOnly = packages.Where(p => p.IsSource).Select(p => p.Name).First(n => !packages.Any(b => !b.IsSource && b.Name == n));
        Assert.Empty(index.Provides(srcOnly));
    }

    [Fact]
    public void A_saved_index_reads_back_only_for_its_identity_and_never_when_damaged()
    {
        var packages = Dummy;
        var path = Path.Combine(_dir, "sack.index");
        Directory.CreateDirectory(_dir);
        SackIndex.Build(packages, "set-v1").Save(path);

        var loaded = SackIndex.TryLoad(path, "set-v1");
        Assert.NotNull(loaded);
        Assert.Equal(packages.Count, loaded.PackageCount);
        Assert.Equal(Scan(packages, "dummy-bash"), Lookup(loaded, "dummy-bash"));
        Assert.Equal(Scan(packages, "smtpdaemon"), Lookup(loaded, "smtpdaemon"));
        Assert.NotEmpty(Lookup(loaded, "smtpdaemon"));

        Assert.Null(SackIndex.TryLoad(path, "set-v2"));
        Assert.Null(SackIndex.TryLoad(Path.Combine(_dir, "missing.index"), "set-v1"));

        var bytes = File.ReadAllBytes(path);
        bytes[^10] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.Null(SackIndex.TryLoad(path, "set-v1"));

        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Null(SackIndex.TryLoad(path, "set-v1"));
    }

    [Fact]
    public void The_record_readers_that_skip_agree_with_the_full_decode()
    {
        foreach (var p in Dummy)
        {
            var record = PackageCodec.Encode(p);
            var s = PackageCodec.ReadSummary(record);
            var d = PackageCodec.Decode(record);
            Assert.Equal((d.Name, d.Epoch, d.Version, d.Release, d.Arch, d.SourceRpm, d.SignatureKeyId), (s.Name, s.Epoch, s.Version, s.Release, s.Arch, s.SourceRpm, s.SignatureKeyId));
            Assert.Equal(d.ExcludeArch, s.ExcludeArch);
            Assert.Equal(d.ExclusiveArch, s.ExclusiveArch);
            Assert.Equal((d.PackageSize, d.FileTime, d.Checksum), PackageCodec.ReadFileFacts(record));
        }
    }

    /// <summary>The Gather task's path: a store's packages decoded when the solve reads them, the same answer as decoded packages.</summary>
    [Fact]
    public void A_solve_over_a_stored_set_decodes_what_it_reads_and_answers_as_over_decoded_packages()
    {
        var dummy = FixtureRepo.DummyPackageSet.Value;
        var entries = dummy.Select(p => new PackageSetEntry(p.Path, p.Package.Location,
            PackageCodec.ReadSummary(PackageCodec.Encode(p.Package)), PackageCodec.Encode(p.Package), false)).ToList();
        var set = new PackageSet("repos", "x86_64", "/", entries);
        var indexPath = Path.Combine(_dir, "x86_64", "gather", "sack.index");

        static List<string> Solve(IReadOnlyList<RpmPackage> packages) => GatherEngine.Solve(new GatherRequest
        {
            Arch = "x86_64",
            Repos = [new GatherRepo("pungi-repo-0", packages)],
            Packages = ["dummy-bash"],
        }).Rpm.Select(g => g.Package.Nevra).Order(StringComparer.Ordinal).ToList();

        var expected = Solve(dummy.Select(p => p.Package).ToList());
        Assert.Contains("dummy-bash-4.2.37-6.x86_64", expected);

        // First run: no index on disk, so every package is decoded to build it, and it is saved.
        var first = SackPackages.FromStore(set, indexPath, "set-v1");
        Assert.Equal(expected, Solve(first));
        Assert.Equal(set.Packages.Count, first.DecodedCount);
        Assert.True(File.Exists(indexPath));

        // Next run: the saved index answers the lookups; only what the solve read is decoded.
        var second = SackPackages.FromStore(set, indexPath, "set-v1");
        Assert.Equal(expected, Solve(second));
        Assert.InRange(second.DecodedCount, expected.Count, set.Packages.Count / 4);

        // Paths and file facts come from the store without decoding.
        int i = second.IndexOfPath(dummy[0].Path);
        Assert.Equal(0, i);
        Assert.Equal((dummy[0].Package.PackageSize, dummy[0].Package.FileTime, dummy[0].Package.Checksum), second.FileFacts(0));
        Assert.Equal(-1, second.IndexOfPath("/no/such.rpm"));
    }

    /// <summary>The Gather task reads a store through a view of its bytes: the same packages, paths and facts as the loaded set.</summary>
    [Fact]
    public void The_store_file_view_gives_what_the_loaded_set_gives()
    {
        var work = Path.Combine(_dir, "work");
        PackageSetBuilder.Build(new PkgsetRequest
        {
            WorkDir = work,
            Arches = ["x86_64"],
            Repositories = [new PackageRepositoryInput(TestPaths.PungiDummyRpms)],
            MultilibArches = ["x86_64"],
        });
        PackageSetStore.WriteNames(work, ["repos"]);
        var loaded = SackPackages.FromStore(PackageSetStore.LoadCompose(work, "x86_64"), Path.Combine(_dir, "a.index"), "x");
        var viewed = SackPackages.FromCompose(work, "x86_64", Path.Combine(_dir, "b.index"));
        Assert.Equal(loaded.Count, viewed.Count);
        Assert.True(viewed.Count > 100, $"{viewed.Count} packages");
        for (int i = 0; i < viewed.Count; i++)
        {
            Assert.Equal(loaded.PathAt(i), viewed.PathAt(i));
            Assert.Equal(loaded.KeyAt(i), viewed.KeyAt(i));
            Assert.Equal(loaded.FileFacts(i), viewed.FileFacts(i));
        }
        Assert.Equal(0, viewed.DecodedCount);
        Assert.Equal(loaded.Select(p => $"{p.Nevra} {p.Location} {p.Requires.Count} {p.Files.Count}"), viewed.Select(p => $"{p.Nevra} {p.Location} {p.Requires.Count} {p.Files.Count}"));
    }
}
