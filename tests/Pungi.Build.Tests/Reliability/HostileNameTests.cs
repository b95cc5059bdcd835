using Pungi.Build.Comps;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Iso;
using Pungi.Build.Pkgset;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;
using Pungi.Build.Variants;
using Xunit.Abstractions;

namespace Pungi.Build.Tests.Reliability;

/// <summary>
/// Issue #13, hostile input: names from packages, repositories, variants.xml, comps and the config never write outside
/// the compose directory, and symlinks in input repositories never lead a read or a copy out of them. Every refusal is
/// one coded error (PUNGI7150 a hostile name, PUNGI7151 a path leading outside), never a stack trace or a stray file.
/// </summary>
public sealed class HostileNameTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pungi-hostile-" + Guid.NewGuid().ToString("N"));

    /// <summary>Traversal, absolute paths, NUL and control characters, over-long components and paths.</summary>
    internal static readonly string[] HostileNames =
    [
        "../escape.rpm", "../../../../../../../../tmp/escape.rpm", "a/../../escape.rpm", "./../escape.rpm", "sub/../../escape.rpm",
        "..", "/tmp/escape.rpm", "/etc/passwd", "//tmp/escape.rpm", "",
        "foo\0.rpm", "foo\n.rpm", "foo\r\n.rpm", "\u001b[31mred.rpm", "tab\t.rpm", "del\u007f.rpm", "bell\a.rpm", "\u0085nel.rpm",
        new string('a', 256) + ".rpm", new string('é', 130) + ".rpm",
        string.Join("/", Enumerable.Repeat(new string('b', 200), 30)),
    ];

    private static readonly string[] GoodNames = ["foo-1.0-1.x86_64.rpm", "Dummy-firefox-16.0.1-1.x86_64.rpm", "ünïcödé-1-1.noarch.rpm", ".hidden.rpm", new string('a', 255)];

    private string Dir(string name)
    {
        var d = Path.Combine(_root, name);
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Every file under <see cref="_root"/>: what a test compares before and after, to prove nothing escaped.</summary>
    private List<string> Everything() => Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    private static void Refused(Action action, params string[] codes)
    {
        var e = Assert.Throws<PungiException>(action);
        Assert.Contains(e.Code, codes);
        // The message itself stays one printable line (control characters are shown escaped).
        Assert.False(e.Message.Any(char.IsControl), e.Message);
    }

    [Fact]
    public void SafePath_RefusesEveryHostileName_AndAcceptsPlainOnes()
    {
        var root = Dir("compose");
        foreach (var name in HostileNames)
        {
            Refused(() => SafePath.FileName(name, "Test name"), ErrorCodes.UnsafeName);
            Refused(() => SafePath.Child(root, name, "Test path"), ErrorCodes.UnsafeName, ErrorCodes.PathOutsideRoot);
        }
        foreach (var name in GoodNames)
        {
            Assert.Equal(name, SafePath.FileName(name, "Test name"));
            Assert.True(SafePath.IsInside(root, SafePath.Child(root, name, "Test path")));
        }
        Assert.True(SafePath.IsInside(root, SafePath.Child(root, "Packages/f/foo.rpm", "Test path")));
        output.WriteLine($"hostile names tried: {HostileNames.Length} (each as a file name and as a relative path)");
    }

    [Fact]
    public void PackageLinker_RefusesHostileFileNames_AndWritesNothingOutside()
    {
        var repo = Dir("repo");
        var target = Path.Combine(Dir("compose"), "Packages");
        var real = Directory.EnumerateFiles(Path.Combine(TestPaths.PungiDummyRpms, "x86_64"), "*.rpm").First();
        // File names a file system accepts but a compose must not: control characters and a newline.
        foreach (var name in new[] { "foo\n.rpm", "\u001b[31mred.rpm", "tab\t.rpm", "del\u007f.rpm" })
        {
            var source = Path.Combine(repo, name);
            File.Copy(real, source);
            var before = Everything();
            foreach (var type in new[] { LinkType.HardlinkOrCopy, LinkType.Copy, LinkType.Symlink })
                Refused(() => PackageLinker.Link([source], target, type, hashedDirectories: true), ErrorCodes.UnsafeName);
            Assert.Equal(before, Everything());
            File.Delete(source);
        }
        // A source path that ends in '..' or '.' names a directory, never a package.
        foreach (var source in new[] { Path.Combine(repo, ".."), Path.Combine(repo, "x", "..", "..") + "/.." })
            Refused(() => PackageLinker.Link([source], target, LinkType.Copy, hashedDirectories: false), ErrorCodes.UnsafeName);
        Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any());
    }

    [Fact]
    public void ComposeLayout_AndCompsPaths_RefuseHostileArchesAndUids()
    {
        var topdir = Dir("compose");
        var layout = new ComposeLayout(topdir);
        var variant = VariantsXml.Parse(System.Xml.Linq.XDocument.Parse(
            "<variants><variant id='Server' name='Server' type='variant'><arches><arch>x86_64</arch></arches></variant></variants>"), null).All[0];
        foreach (var arch in HostileNames.Where(n => n.Length > 0))
        {
            Refused(() => layout.WorkTopdir(arch), ErrorCodes.UnsafeName);
            Refused(() => layout.PackageList(arch, variant, "rpm"), ErrorCodes.UnsafeName);
            Refused(() => layout.OsTree(variant, arch), ErrorCodes.UnsafeName);
            Refused(() => CompsPaths.ForArch(layout.WorkDir, arch), ErrorCodes.UnsafeName);
            Refused(() => CompsPaths.ForVariant(layout.WorkDir, "Server", arch), ErrorCodes.UnsafeName);
            // As a UID the name is embedded in "comps-<uid>.<arch>.xml": refused, or (e.g. "..") a harmless plain name.
            try
            {
                var p = CompsPaths.ForVariant(layout.WorkDir, arch, "x86_64");
                Assert.Equal(Path.Combine(layout.WorkDir, "x86_64", "comps"), Path.GetDirectoryName(Path.GetFullPath(p)));
            }
            catch (PungiException e)
            {
                Assert.Equal(ErrorCodes.UnsafeName, e.Code);
            }
        }
        Assert.Equal(Path.Combine(topdir, "work", "x86_64", "comps", "comps-Server.x86_64.xml"), CompsPaths.ForVariant(layout.WorkDir, "Server", "x86_64"));
    }

    [Fact]
    public void VariantsXml_RefusesHostileIds()
    {
        var ids = HostileNames.Where(n => !n.Contains('\0') && !n.Any(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r'))
            .Concat(["Server/../../x", "a.b", "a b", "Server\\x", new string('A', 300)]).ToList();
        var tmp = Dir("variants");
        int refused = 0;
        foreach (var id in ids)
        {
            var text = new System.Xml.Linq.XElement("variants",
                new System.Xml.Linq.XElement("variant", new System.Xml.Linq.XAttribute("id", id), new System.Xml.Linq.XAttribute("name", "x"),
                    new System.Xml.Linq.XAttribute("type", "variant"),
                    new System.Xml.Linq.XElement("arches", new System.Xml.Linq.XElement("arch", "x86_64")))).ToString();
            var path = Path.Combine(tmp, "variants.xml");
            File.WriteAllText(path, text);
            var e = Assert.Throws<PungiException>(() => VariantsXml.Load(path));
            Assert.True(e.Code.StartsWith("PUNGI1", StringComparison.Ordinal) || e.Code == ErrorCodes.UnsafeName, $"{e.Code}: {e.Message}");
            refused++;
        }
        // Characters XML itself cannot carry (NUL, most C0 controls) never reach the model: a parse error with a code.
        File.WriteAllText(Path.Combine(tmp, "variants.xml"), "<variants><variant id='a&#1;b' name='x' type='variant'><arches><arch>x86_64</arch></arches></variant></variants>");
        Assert.StartsWith("PUNGI1", Assert.Throws<PungiException>(() => VariantsXml.Load(Path.Combine(tmp, "variants.xml"))).Code);
        output.WriteLine($"variant ids refused: {refused + 1}");
    }

    [Fact]
    public void Comps_HostileGroupIds_AreData_NotPaths()
    {
        var work = Path.Combine(Dir("compose"), "work");
        var compsFile = Path.Combine(Dir("input"), "comps.xml");
        var groups = HostileNames.Where(n => n.Length > 0 && !n.Any(char.IsControl) && n.Length < 300).ToList();
        File.WriteAllText(compsFile, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<comps>\n" + string.Concat(groups.Select(g =>
            $"  <group><id>{System.Security.SecurityElement.Escape(g)}</id><name>x</name><packagelist><packagereq type=\"default\">foo</packagereq></packagelist></group>\n")) + "</comps>\n");
        var before = Everything();
        var spec = new VariantCompsSpec("Server", "variant", groups.Select(g => new VariantGroupRef(g)).ToList(), []);
        var result = CompsInit.Run(compsFile, work, [new VariantArches(spec, ["x86_64"])]);
        var written = Everything().Except(before).Where(File.Exists).ToList();
        Assert.NotEmpty(written);
        Assert.All(written, f => Assert.True(SafePath.IsInside(work, f), $"{f} is outside {work}"));
        Assert.All(result.Files, f => Assert.True(SafePath.IsInside(work, f.Path)));
        // The ids are still there, as data, in the variant's comps.
        var shipped = File.ReadAllText(CompsPaths.ForVariant(work, "Server", "x86_64"));
        Assert.Contains("<id>../escape.rpm</id>", shipped);
    }

    [Fact]
    public void IsoNames_FromHostileFormats_AreRefusedAsCreateisoChecksThem()
    {
        var common = new Dictionary<string, string> { ["compose_id"] = "SAMPLE-1.0-20261127.t.0", ["release_short"] = "SAMPLE", ["version"] = "1.0" };
        string[] formats = ["../../{compose_id}-{variant}.iso", "/tmp/{variant}-{arch}.iso", "{variant}/../../../x.iso", "{variant}/{arch}.iso", "%(variant)s/../x.iso", "{compose_id}\n.iso"];
        foreach (var format in formats)
        {
            var name = IsoNaming.GetImageName(common, "x86_64", "Server", format: format);
            Refused(() => SafePath.FileName(name, "ISO image name (ImageNameFormat)"), ErrorCodes.UnsafeName);
        }
        // A variant UID can never carry a '/' into the name: the variants reader refuses it first (above).
        Assert.Equal("SAMPLE-1.0-20261127.t.0-Server-x86_64-dvd1.iso", SafePath.FileName(IsoNaming.GetImageName(common, "x86_64", "Server"), "ISO image name"));
    }

    [Fact]
    public void RepositorySymlinks_NeverLeadOutOfTheRepository()
    {
        var outside = Dir("outside");
        var repo = Dir("repo");
        var rpms = Directory.EnumerateFiles(Path.Combine(TestPaths.PungiDummyRpms, "x86_64"), "*.rpm").Order(StringComparer.Ordinal).Take(2).ToList();
        File.Copy(rpms[0], Path.Combine(repo, Path.GetFileName(rpms[0])));
        File.Copy(rpms[1], Path.Combine(outside, "secret.rpm"));
        // A link to another file of the same repository is fine.
        Directory.CreateDirectory(Path.Combine(repo, "sub"));
        File.CreateSymbolicLink(Path.Combine(repo, "sub", "same.rpm"), Path.Combine("..", Path.GetFileName(rpms[0])));
        var ok = new RepositorySource([new PackageRepositoryInput(repo)]).GetCandidates(new List<PkgsetWarning>());
        Assert.Equal(2, ok.Count);

        // Relative and absolute links out, and a chain of links that ends outside.
        string[][] links =
        [
            ["evil.rpm", Path.Combine("..", "outside", "secret.rpm")],
            ["abs.rpm", Path.Combine(outside, "secret.rpm")],
            ["hop1.rpm", "hop2"],
        ];
        foreach (var link in links)
        {
            var at = Path.Combine(repo, link[0]);
            File.CreateSymbolicLink(at, link[1]);
            if (link[0] == "hop1.rpm") File.CreateSymbolicLink(Path.Combine(repo, "hop2"), "../outside/secret.rpm");
            Refused(() => new RepositorySource([new PackageRepositoryInput(repo)]).GetCandidates(new List<PkgsetWarning>()), ErrorCodes.PathOutsideRoot);
            File.Delete(at);
        }
        // A symlinked directory pointing out: either not followed or refused, never read.
        Directory.CreateSymbolicLink(Path.Combine(repo, "outdir"), outside);
        try
        {
            var found = new RepositorySource([new PackageRepositoryInput(repo)]).GetCandidates(new List<PkgsetWarning>());
            Assert.All(found, c => Assert.True(SafePath.IsInside(SafePath.RealPath(repo), SafePath.RealPath(c.Path)), c.Path));
        }
        catch (PungiException e)
        {
            Assert.Equal(ErrorCodes.PathOutsideRoot, e.Code);
        }
    }

    [Fact]
    public void RepodataLocationHrefs_NeverLeadOutOfTheRepository()
    {
        var real = Directory.EnumerateFiles(Path.Combine(TestPaths.PungiDummyRpms, "x86_64"), "*.rpm").Order(StringComparer.Ordinal).First();
        var package = RpmHeaderReader.Read(real);
        Dir("outside");
        File.Copy(real, Path.Combine(_root, "outside", "x.rpm"));
        string[] hrefs = ["../outside/x.rpm", "sub/../../outside/x.rpm", Path.Combine(_root, "outside", "x.rpm"), "link/x.rpm"];
        foreach (var href in hrefs)
        {
            var repo = Path.Combine(_root, "repodata-only-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(repo);
            if (href.StartsWith("link/", StringComparison.Ordinal)) Directory.CreateSymbolicLink(Path.Combine(repo, "link"), Path.Combine(_root, "outside"));
            RepodataWriter.Write(repo, [package.WithLocation(href)], new RepodataOptions { Timestamp = 1 });
            Refused(() => new RepositorySource([new PackageRepositoryInput(repo)]).GetCandidates(new List<PkgsetWarning>()),
                ErrorCodes.UnsafeName, ErrorCodes.PathOutsideRoot);
        }
    }

    [Fact]
    public void RepomdRecordLocations_NeverLeadOutOfTheRepository()
    {
        var repo = Dir("lookaside");
        RepodataWriter.Write(repo, [], new RepodataOptions { Timestamp = 1 });
        var repomd = Path.Combine(repo, "repodata", "repomd.xml");
        var text = File.ReadAllText(repomd);
        var href = System.Text.RegularExpressions.Regex.Match(text, "href=\"(repodata/[^\"]*primary[^\"]*)\"").Groups[1].Value;
        Assert.NotEmpty(href);
        foreach (var hostile in new[] { "../../../../etc/passwd", "/etc/passwd", "repodata/../../outside.xml.gz" })
        {
            File.WriteAllText(repomd, text.Replace(href, hostile, StringComparison.Ordinal));
            Refused(() => RepodataReader.Read(repo).ToList(), ErrorCodes.UnsafeName, ErrorCodes.PathOutsideRoot);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
