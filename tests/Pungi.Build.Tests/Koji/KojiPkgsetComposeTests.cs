using System.Globalization;
using Pungi.Build.Koji;
using Pungi.Build.Rpm;
using Pungi.Build.Tests.Build;
using Xunit;

namespace Pungi.Build.Tests.Koji;

/// <summary>
/// <c>pkgset_source = "koji"</c> end to end: the sample product composed by a spawned <c>dotnet build</c> whose
/// package set comes from the tag <c>f41</c> of the simulated hub (real HTTP on 127.0.0.1, an anonymous profile:
/// getLastEvent and listTaggedRPMS need no login in Koji), the RPM files at Koji's paths under the profile's topdir.
/// </summary>
[Collection("spawned builds")]
public sealed class KojiPkgsetComposeTests
{
    [Fact]
    public async Task KojiTagPackageSet_ReachesGatherCreaterepoAndTheTree()
    {
        using var p = SampleCompose.Create();
        await using var hub = new KojiHubSimulator();
        var top = Path.Combine(p.Dir, "mnt-koji");

        // The tag's content: every RPM of the sample, each in the build its SRPM names, at PathInfo's unsigned path.
        var rpms = new List<object?>();
        var builds = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        long nextId = 1000;
        var pathInfo = new KojiPathInfo(top);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(p.Dir, "rpms"), "*.rpm", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var pkg = RpmHeaderReader.Read(file);
            var srpm = pkg.IsSource ? Path.GetFileName(file) : pkg.SourceRpm;
            var (bn, bv, br) = SplitNvr(srpm[..^".src.rpm".Length]);
            if (!builds.TryGetValue(srpm, out var build))
            {
                build = new Dictionary<string, object?>
                {
                    ["build_id"] = (int)nextId++, ["id"] = 0, ["name"] = bn, ["package_name"] = bn, ["version"] = bv, ["release"] = br,
                    ["epoch"] = null, ["nvr"] = $"{bn}-{bv}-{br}", ["volume_name"] = "DEFAULT", ["state"] = 1,
                };
                build["id"] = build["build_id"];
                builds[srpm] = build;
            }
            var row = new Dictionary<string, object?>
            {
                ["id"] = (int)nextId++, ["name"] = pkg.Name, ["version"] = pkg.Version, ["release"] = pkg.Release,
                ["epoch"] = string.IsNullOrEmpty(pkg.Epoch) ? null : int.Parse(pkg.Epoch, CultureInfo.InvariantCulture),
                ["arch"] = pkg.Arch, ["build_id"] = build["build_id"], ["size"] = (int)new FileInfo(file).Length, ["payloadhash"] = null,
            };
            rpms.Add(row);
            var kb = KojiBuild.From(build);
            var dest = pathInfo.UnsignedPath(kb, KojiRpm.From(row));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }
        hub.ReplayFilter = (method, args, value) => method == "listTaggedRPMS" && args[0] is "f41"
            ? new List<object?> { rpms, builds.Values.Cast<object?>().ToList() }
            : value;
        var etc = Path.Combine(p.Dir, "etc");
        p.Write("etc/koji.conf.d/sim.conf", $"[sim]\nserver = {hub.HubUrl}\ntopdir = {top}\ntopurl = {hub.TopUrl}\n");
        // The sample's own repository is moved away, so every package the tree gets must have come through Koji.
        Directory.Move(Path.Combine(p.Dir, "rpms"), Path.Combine(p.Dir, "rpms-not-used"));
        Directory.CreateDirectory(Path.Combine(p.Dir, "rpms"));

        var run = await Task.Run(() => p.Build("-p:PkgsetSource=koji", "-p:KojiProfile=sim", $"-p:KojiConfigDir={etc}", "-p:PkgsetKojiTag=f41"));
        Assert.True(run.ExitCode == 0, run.Describe());

        var topDir = SampleCompose.TopDir(p);
        // spec §2.2.1 step 4: one package set per tag, named after it; the consumers read it by that name
        Assert.Equal("24", File.ReadAllText(Path.Combine(topDir, "work", "global", "koji-event")).Split(',')[0].Split(':')[1].Trim());
        Assert.Equal(["f41"], File.ReadAllLines(Path.Combine(topDir, "work", "global", "pkgset", "pkgsets.txt")));
        Assert.True(File.Exists(Path.Combine(topDir, "work", "x86_64", "pkgset", "f41.pkgset")));
        Assert.False(File.Exists(Path.Combine(topDir, "work", "x86_64", "pkgset", "repos.pkgset")));
        Assert.Contains(hub.Requests, r => System.Text.Encoding.UTF8.GetString(r.Body).Contains("<methodName>listTaggedRPMS</methodName>", StringComparison.Ordinal));

        // Gather + LinkPackages + Createrepo: the tree has what the sample asks for (AdditionalPackage items, comps), and
        // the packages are the tag's files.
        string[] Tree(string variant, string arch) => Directory.EnumerateFiles(Path.Combine(topDir, "compose", variant, arch, "os"), "*.rpm", SearchOption.AllDirectories)
            .Select(Path.GetFileName).Cast<string>().ToArray();
        var server = Tree("Server", "x86_64");
        Assert.Contains(server, f => f.StartsWith("sample-nano-", StringComparison.Ordinal));
        Assert.Contains(server, f => f.StartsWith("sample-release-server-", StringComparison.Ordinal));
        Assert.Contains(Tree("Workstation", "x86_64"), f => f.StartsWith("sample-release-workstation-", StringComparison.Ordinal));
        var primary = Directory.GetFiles(Path.Combine(topDir, "compose", "Server", "x86_64", "os", "repodata"), "*primary.xml*");
        Assert.NotEmpty(primary);
        Assert.Contains(File.ReadLines(Path.Combine(topDir, "compose", "metadata", "rpms.json")), l => l.Contains("sample-nano", StringComparison.Ordinal));
    }

    private static (string N, string V, string R) SplitNvr(string nvr)
    {
        var r = nvr.LastIndexOf('-');
        var v = nvr.LastIndexOf('-', r - 1);
        return (nvr[..v], nvr[(v + 1)..r], nvr[(r + 1)..]);
    }
}
