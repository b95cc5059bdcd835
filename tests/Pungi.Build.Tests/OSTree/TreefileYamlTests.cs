using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.OSTree;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tests.OSTree;

/// <summary>
/// YAML treefiles (rpm-ostree reads <c>.yaml</c> with serde_yaml; upstream Pungi's <c>tweak_treeconf</c> and
/// <c>get_ref_from_treefile</c> accept them): read into the same tree as the JSON form. Expected values by hand from
/// YAML 1.2's rules and rpm-ostree's include merge.
/// </summary>
public sealed class TreefileYamlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ostree-yaml-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void YamlTreefile_ReadsAsItsJsonForm_IncludesMixJsonAndYaml()
    {
        // The fedora-coreos-config shape: a manifest.yaml including a base; lists concatenate (included first), the
        // includer's scalars win, packages-<basearch>, entries split at whitespace, ${basearch} in ref.
        Write("base.json", """{"ref": "base/${basearch}", "packages": ["a b"], "selinux": true}""");
        Write("common.yml", """
            include: base.json
            packages:
              - c
            exclude-packages: [nano]
            """);
        var top = Write("manifest.yaml", """
            # comments are YAML's
            ref: "fedora/${basearch}/coreos/testing-devel"
            include:
              - common.yml
            packages:
              - d
            packages-x86_64: [e  f]
            repos: [fedora, updates]
            boot-location: new
            """);
        var t = Treefile.Load(top, "x86_64");
        Assert.Equal("fedora/x86_64/coreos/testing-devel", t.Ref);
        Assert.Equal(["a", "b", "c", "d", "e", "f"], t.Packages);
        Assert.Equal(["nano"], t.ExcludePackages);
        Assert.Equal(["fedora", "updates"], t.Repos);
        Assert.Equal(["boot-location", "selinux"], t.IgnoredKeys);
        Assert.Equal("fedora/aarch64/coreos/testing-devel", Treefile.TopLevelRef(top, "aarch64"));
        Assert.Equal(["common.yml"], Treefile.Includes(top));
    }

    [Fact]
    public void PlainScalarsTypedByTheCoreSchema_QuotedStayStrings_AliasesExpanded()
    {
        // ref: 123 is an integer (core schema) and rpm-ostree wants a string; "123" quoted is one. An alias repeats its
        // anchor's sequence.
        var number = Write("n.yaml", "ref: 123\npackages: [a]\n");
        Assert.Equal(ErrorCodes.OstreeTreefileInvalid, Assert.Throws<PungiException>(() => Treefile.Load(number, "x86_64")).Code);
        var quoted = Write("q.yaml", "ref: '123'\nbase: &pk [a, 'true']\npackages: *pk\nrecommends: false\n");
        var t = Treefile.Load(quoted, "x86_64");
        Assert.Equal("123", t.Ref);
        Assert.Equal(["a", "true"], t.Packages);
        Assert.Equal(["base", "recommends"], t.IgnoredKeys);
        // packages: true is a boolean, not a list
        var flag = Write("b.yaml", "ref: r\npackages: true\n");
        Assert.Equal(ErrorCodes.OstreeTreefileInvalid, Assert.Throws<PungiException>(() => Treefile.Load(flag, "x86_64")).Code);
    }

    [Fact]
    public void BadYaml_DuplicateKey_NotAMapping_ArePungi5212WithTheLine()
    {
        var broken = Write("broken.yaml", "ref: r\npackages: [a\n");
        var e = Assert.Throws<PungiException>(() => Treefile.Load(broken, "x86_64"));
        Assert.Equal(ErrorCodes.OstreeTreefileInvalid, e.Code);
        Assert.True(e.Line >= 2, $"line {e.Line}");
        var dup = Write("dup.yaml", "ref: r\npackages: [a]\nref: s\n");
        Assert.Equal(ErrorCodes.OstreeTreefileInvalid, Assert.Throws<PungiException>(() => Treefile.Load(dup, "x86_64")).Code);
        var list = Write("list.yaml", "- a\n- b\n");
        Assert.Equal(ErrorCodes.OstreeTreefileInvalid, Assert.Throws<PungiException>(() => Treefile.Load(list, "x86_64")).Code);
    }

    [SkippableFact]
    public void LocalBackend_CommitsAYamlTreefile()
    {
        Interop.RequireTool("ostree");
        var rpms = Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product", "rpms");
        var repo = new GatherRepo("sample", new[] { "x86_64", "noarch" }
            .SelectMany(a => Directory.EnumerateFiles(Path.Combine(rpms, a), "*.rpm"))
            .Select(f => RpmHeaderReader.Read(f).WithLocation(f)).ToList());
        var treefile = Write("sample.yaml", "ref: sample/${basearch}/yaml\npackages:\n  - sample-bash\n");
        var result = OstreeComposer.Compose(new OstreeRequest
        {
            Treefile = treefile, Arch = "x86_64", Repos = [repo], OstreeRepo = Path.Combine(_dir, "repo"),
            WorkDir = Path.Combine(_dir, "work"), LogDir = Path.Combine(_dir, "logs"), Version = "1.0",
        });
        Assert.Equal("sample/x86_64/yaml", result.Ref);
        Assert.Equal(result.CommitId, Interop.Run("ostree", "rev-parse", "--repo=" + Path.Combine(_dir, "repo"), "sample/x86_64/yaml").Trim());
        Assert.Contains("/usr/bin/sample-bash", Interop.Run("ostree", "ls", "-R", "--repo=" + Path.Combine(_dir, "repo"), "sample/x86_64/yaml"));
    }
}
