using System.Text.Json;
using System.Xml.Linq;
using Pungi.Build.Metadata;
using Pungi.Build.Pkgset;
using Pungi.Build.Tests.Metadata;

namespace Pungi.Build.Tests.Build;

/// <summary>
/// The metadata a compose writes (spec §2.0.3): per-tree .treeinfo/.discinfo/media.repo from the Treeinfo phase and
/// rpms.json/images.json from ComposeMetadata, checked on a spawned build of the sample product against values
/// worked out by hand from §6.2 and §6.7-6.9.
/// </summary>
[Collection("spawned builds")]
public sealed class MetadataPhaseTests
{
    // productmd loads .treeinfo with Python's configparser (case-preserving keys, ';' lines are comments).
    private const string IniDump =
        "import configparser,json,sys\nc=configparser.ConfigParser(interpolation=None)\nc.optionxform=str\nc.read(sys.argv[1])\n" +
        "print(json.dumps({s: dict(c.items(s)) for s in c.sections()}))";

    private static Dictionary<string, Dictionary<string, string>> ReadIni(string python, string path)
        => JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(MetadataInterop.Run(python, "-c", IniDump, path))!;

    [SkippableFact]
    public void SampleCompose_WritesTreeMetadataAndRpmsJson_AndANoOpRebuildLeavesThem()
    {
        var python = MetadataInterop.Require("python3", "python3");
        using var p = SampleCompose.Create();
        var first = p.Build();
        Assert.True(first.ExitCode == 0, first.Describe());
        var compose = Path.Combine(SampleCompose.TopDir(p), "compose");
        var os = Path.Combine(compose, "Server", "x86_64", "os");

        // §6.7 with the reproducibility rule of this port: the tree's time is its repomd revision (no SOURCE_DATE_EPOCH).
        var revision = XDocument.Load(Path.Combine(os, "repodata", "repomd.xml")).Root!
            .Element(XName.Get("revision", "http://linux.duke.edu/metadata/repo"))!.Value;
        var ini = ReadIni(python, Path.Combine(os, ".treeinfo"));
        Assert.Equal(
            ["addon-Server-HighAvailability", "general", "header", "release", "tree", "variant-Server"],
            ini.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, string> { ["type"] = "productmd.treeinfo", ["version"] = "1.2" }, ini["header"]);
        // [release]: name/short/version only, no type key and no is_layered for a plain compose.
        Assert.Equal(new Dictionary<string, string> { ["name"] = "Sample Product", ["short"] = "SAMPLE", ["version"] = "1.0" }, ini["release"]);
        Assert.Equal(new Dictionary<string, string>
        {
            ["arch"] = "x86_64", ["build_timestamp"] = revision, ["platforms"] = "x86_64", ["variants"] = "Server",
        }, ini["tree"]);
        // Top-level variant: packages/repository relative to the tree ('.' when the tree itself), addons = child UIDs.
        Assert.Equal(new Dictionary<string, string>
        {
            ["addons"] = "Server-HighAvailability", ["id"] = "Server", ["name"] = "Server", ["packages"] = "Packages",
            ["repository"] = ".", ["type"] = "variant", ["uid"] = "Server",
        }, ini["variant-Server"]);
        Assert.Equal(new Dictionary<string, string>
        {
            ["id"] = "HighAvailability", ["name"] = "High Availability", ["packages"] = "addons/HighAvailability",
            ["parent"] = "Server", ["repository"] = "addons/HighAvailability", ["type"] = "addon", ["uid"] = "Server-HighAvailability",
        }, ini["addon-Server-HighAvailability"]);
        // [general] compatibility section: family/name/version from the release, packagedir of the main variant.
        Assert.Equal(new Dictionary<string, string>
        {
            ["arch"] = "x86_64", ["family"] = "Sample Product", ["name"] = "Sample Product 1.0", ["packagedir"] = "Packages",
            ["platforms"] = "x86_64", ["repository"] = ".", ["timestamp"] = revision, ["variant"] = "Server",
            ["variants"] = "Server", ["version"] = "1.0",
        }, ini["general"]);
        // The source tree: arch src, its own repodata revision.
        var src = ReadIni(python, Path.Combine(compose, "Server", "source", "tree", ".treeinfo"));
        Assert.Equal("src", src["tree"]["arch"]);
        Assert.Equal("Packages", src["general"]["packagedir"]);
        // Addons have no tree (and no .treeinfo) of their own; an optional variant has its own top-level tree.
        Assert.False(Directory.Exists(Path.Combine(compose, "Server-HighAvailability")));
        Assert.False(File.Exists(Path.Combine(os, "addons", "HighAvailability", ".treeinfo")));
        Assert.Equal("optional", ReadIni(python, Path.Combine(compose, "Server-optional", "x86_64", "os", ".treeinfo"))["variant-Server-optional"]["type"]);

        // §6.8: four newline-terminated lines, timestamp with 6 decimals; §6.9: media.repo with the same description and id.
        Assert.Equal($"{revision}.000000\nSample Product 1.0\nx86_64\nALL\n", File.ReadAllText(Path.Combine(os, ".discinfo")));
        Assert.Equal($"[InstallMedia]\nname=Sample Product 1.0\nmediaid={revision}.000000\nmetadata_expire=-1\ngpgcheck=0\ncost=500\n",
            File.ReadAllText(Path.Combine(os, "media.repo")));
        Assert.StartsWith($"{revision}.000000\nSample Product 1.0\nsrc\nALL\n", File.ReadAllText(Path.Combine(compose, "Workstation", "source", "tree", ".discinfo")), StringComparison.Ordinal);

        // §6.2/§3.12: rpms.json. sample-hello-debuginfo is a debug package of Workstation.x86_64, filed under its SRPM's
        // NEVRA with epoch 0; the SRPM is listed under the binary arch as source; the RPMs are unsigned (sigkey null).
        var metadata = Path.Combine(compose, "metadata");
        using (var rpms = JsonDocument.Parse(File.ReadAllText(Path.Combine(metadata, "rpms.json"))))
        {
            Assert.Equal("productmd.rpms", rpms.RootElement.GetProperty("header").GetProperty("type").GetString());
            var all = rpms.RootElement.GetProperty("payload").GetProperty("rpms");
            var hello = all.GetProperty("Workstation").GetProperty("x86_64").GetProperty("sample-hello-0:2.12-3.src");
            var debug = hello.GetProperty("sample-hello-debuginfo-0:2.12-3.x86_64");
            Assert.Equal("debug", debug.GetProperty("category").GetString());
            Assert.Equal("Workstation/x86_64/debug/tree/Packages/sample-hello-debuginfo-2.12-3.x86_64.rpm", debug.GetProperty("path").GetString());
            Assert.Equal(JsonValueKind.Null, debug.GetProperty("sigkey").ValueKind);
            Assert.Equal("binary", hello.GetProperty("sample-hello-0:2.12-3.x86_64").GetProperty("category").GetString());
            var srpm = hello.GetProperty("sample-hello-0:2.12-3.src");
            Assert.Equal("source", srpm.GetProperty("category").GetString());
            Assert.Equal("Workstation/source/tree/Packages/sample-hello-2.12-3.src.rpm", srpm.GetProperty("path").GetString());
            // Multilib: an i686 package of the x86_64 tree keeps its own arch in the NEVRA. Addon packages sit in the
            // parent's tree under addons/<id>.
            var glibc = all.GetProperty("Server").GetProperty("x86_64").GetProperty("sample-glibc-0:2.38-7.src");
            Assert.Equal("Server/x86_64/os/Packages/sample-glibc-2.38-7.i686.rpm",
                glibc.GetProperty("sample-glibc-0:2.38-7.i686").GetProperty("path").GetString());
            Assert.Equal("Server/x86_64/os/addons/HighAvailability/sample-corosync-3.1.7-2.x86_64.rpm",
                all.GetProperty("Server-HighAvailability").GetProperty("x86_64").GetProperty("sample-corosync-0:3.1.7-2.src")
                    .GetProperty("sample-corosync-0:3.1.7-2.x86_64").GetProperty("path").GetString());
            // Every package-list line of every variant.arch is one entry, every entry a linked file.
            var work = Path.Combine(SampleCompose.TopDir(p), "work", "x86_64", "package_list");
            foreach (var variant in new[] { "Server", "Server-HighAvailability", "Server-optional", "Workstation" })
            {
                int listed = new[] { "rpm", "debuginfo", "srpm" }
                    .Sum(t => File.ReadLines(Path.Combine(work, $"{variant}.x86_64.{t}.conf")).Count(l => l.Length > 0));
                var entries = all.GetProperty(variant).GetProperty("x86_64").EnumerateObject()
                    .SelectMany(s => s.Value.EnumerateObject()).Select(e => e.Value.GetProperty("path").GetString()!).ToList();
                Assert.Equal(listed, entries.Count);
                Assert.All(entries, e => Assert.True(File.Exists(Path.Combine(compose, e)), e));
            }
        }
        // §2.0.3: images.json is written with the compose's images (Createiso's DVDs here).
        using (var images = JsonDocument.Parse(File.ReadAllText(Path.Combine(metadata, "images.json"))))
            Assert.Contains(images.RootElement.GetProperty("payload").GetProperty("images").GetProperty("Server").GetProperty("x86_64").EnumerateArray(),
                i => i.GetProperty("path").GetString() == "Server/x86_64/iso/SAMPLE-1.0-20261127.t.0-Server-x86_64-dvd1.iso");

        var watched = new[] { Path.Combine(os, ".treeinfo"), Path.Combine(os, ".discinfo"), Path.Combine(metadata, "rpms.json") };
        var before = watched.Select(File.GetLastWriteTimeUtc).ToList();
        var second = p.Build();
        Assert.True(second.ExitCode == 0, second.Describe());
        Assert.Equal(8, second.Targets("Treeinfo").Count);
        Assert.Empty(second.Ran("Treeinfo"));
        Assert.Equal(before, watched.Select(File.GetLastWriteTimeUtc).ToList());

        // treeinfo_version and release_discinfo_description (§6.7, §6.8) rerun Treeinfo only, not Createrepo.
        var third = p.Build("-p:TreeinfoVersion=1.0.1", "-p:ReleaseDiscinfoDescription=%(variant_name)s on %(arch)s");
        Assert.True(third.ExitCode == 0, third.Describe());
        Assert.Empty(third.Ran("Createrepo"));
        Assert.Equal(8, third.Ran("Treeinfo").Count);
        Assert.Equal("1.0.1", ReadIni(python, Path.Combine(os, ".treeinfo"))["release"]["version"]);
        Assert.Equal($"{revision}.000000\nServer on x86_64\nx86_64\nALL\n", File.ReadAllText(Path.Combine(os, ".discinfo")));
    }

    [Theory]
    // Upstream's fallback when a binary's SRPM is in no variant: the sourcerpm file name with the binary's epoch (§2.4).
    [InlineData("sample-hello-2.12-3.src.rpm", null, "sample-hello-0:2.12-3.src")]
    [InlineData("kernel-rt-6.5.0-1.el9.src.rpm", "2", "kernel-rt-2:6.5.0-1.el9.src")]
    [InlineData("firmware-20231114-1.nosrc.rpm", "", "firmware-0:20231114-1.nosrc")]
    public void GuessedSourceNevra_UsesTheBinarysEpoch(string sourceRpm, string? epoch, string expected)
    {
        var binary = new PackageSummary("x", epoch, "1", "1", "x86_64", sourceRpm, null, [], []);
        Assert.Equal(expected, RpmsManifest.GuessSourceNevra(binary));
        // productmd's NEVRA regex (§6.2) must accept it as a source NEVRA with an epoch.
        Assert.Contains(RpmsJson.ParseNevra(expected).Arch, new[] { "src", "nosrc" });
    }
}
