using System.Text.RegularExpressions;
using Pungi.Build.Repoclosure;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;
using Pungi.Build.Tests.Rpm;

namespace Pungi.Build.Tests.Repoclosure;

/// <summary>The native Repoclosure check (spec §2.18) held against dnf repoclosure, the tool upstream runs.</summary>
public sealed class RepoClosureTests
{
    private static RpmPackage Pkg(string name, string arch = "x86_64", Dependency[]? requires = null, Dependency[]? provides = null, string[]? files = null)
        => new()
        {
            Name = name, Version = "1.0", Release = "1", Arch = arch,
            Requires = requires ?? [], Provides = provides ?? [],
            Files = (files ?? []).Select(f => new PackageFile(f)).ToList(),
        };

    [Fact]
    public void UnprovidedRequirement_IsReported_ProvidedByLookasideIsNot()
    {
        var a = Pkg("a", requires: [new("b"), new("c", DependencyFlags.Greater | DependencyFlags.Equal, "2.0"), new("rpmlib(PayloadIsXz)")]);
        var b = Pkg("b");
        var c = Pkg("c"); // version 1.0: too old for c >= 2.0
        var broken = RepoClosure.Check([a, b], [c], []);
        Assert.Equal(["c >= 2.0"], broken.Select(x => x.Requirement.ToString()));
    }

    [Fact]
    public void FileAndRichRequirements_AsLibsolvSeesThem()
    {
        var a = Pkg("a", requires: [new("/usr/bin/sh"), new("(x or y)"), new("(z with q)")]);
        var sh = Pkg("bash", files: ["/usr/bin/sh"]);
        var y = Pkg("y");
        var z = Pkg("z"); // provides z but not q: "with" needs one package providing both
        var broken = RepoClosure.Check([a, sh, y, z], [], []);
        Assert.Equal(["(z with q)"], broken.Select(x => x.Requirement.ToString()));
    }

    [Fact]
    public void ArchesLimitWhatIsCheckedAndWhatProvides()
    {
        // dnf repoclosure --arch: a provider of another arch does not count, and such packages are not checked.
        var a = Pkg("a", requires: [new("lib")]);
        var libPpc = Pkg("lib", arch: "ppc64");
        var brokenPpc = Pkg("other", arch: "ppc64", requires: [new("nothing")]);
        var broken = RepoClosure.Check([a, libPpc, brokenPpc], [], ["x86_64", "noarch"]);
        Assert.Equal(["a-1.0-1.x86_64: lib"], broken.Select(x => $"{x.Package.Nevra}: {x.Requirement}"));
    }

    [SkippableFact]
    public void PungiDummyRepo_SameBrokenDependenciesAsDnfRepoclosure()
    {
        var dnf = RpmInterop.RequireTool("dnf");
        var repo = Path.Combine(TestPaths.Fixtures, "pungi-dummy", "repos", "repo");
        string[] arches = ["x86_64", "athlon", "i686", "i586", "i486", "i386", "noarch"];
        var ours = RepoClosure.Check(RepodataReader.Read(repo).ToList(), [], arches)
            .Select(b => $"{b.Package.Name}.{b.Package.Arch}: {b.Requirement}").Distinct().Order(StringComparer.Ordinal).ToList();

        var conf = Path.GetTempFileName();
        var cache = Directory.CreateTempSubdirectory("pungi-repoclosure-").FullName;
        try
        {
            var args = new List<string> { "-q", $"--config={conf}", "--setopt=reposdir=/dev/null", $"--setopt=cachedir={cache}",
                "--releasever=1", "--forcearch=x86_64", $"--repofrompath=r,{repo}", "--repo=r", "repoclosure", "--check=r" };
            args.AddRange(arches.Select(a => $"--arch={a}"));
            // repoclosure exits 1 when it finds breakage: read its report whatever the exit code.
            var psi = new System.Diagnostics.ProcessStartInfo(dnf) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var proc = System.Diagnostics.Process.Start(psi)!;
            var err = proc.StandardError.ReadToEndAsync();
            string output = proc.StandardOutput.ReadToEnd();
            proc.WaitForExit();
            Assert.True(proc.ExitCode is 0 or 1, $"dnf repoclosure failed ({proc.ExitCode}): {err.Result}");
            var theirs = new List<string>();
            string? current = null;
            foreach (var line in output.Split('\n'))
            {
                var m = Regex.Match(line, @"^package: (\S+) from ");
                if (m.Success)
                {
                    // dnf prints name-[epoch:]version-release.arch
                    var nevra = m.Groups[1].Value;
                    var arch = nevra[(nevra.LastIndexOf('.') + 1)..];
                    var nvr = nevra[..nevra.LastIndexOf('.')];
                    var name = nvr[..nvr.LastIndexOf('-', nvr.LastIndexOf('-') - 1)];
                    current = $"{name}.{arch}";
                }
                else if (current != null && line.StartsWith("    ", StringComparison.Ordinal))
                {
                    theirs.Add($"{current}: {line.Trim()}");
                }
            }
            theirs = theirs.Distinct().Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(theirs);
            Assert.Equal(theirs, ours);
        }
        finally
        {
            File.Delete(conf);
            Directory.Delete(cache, true);
        }
    }
}
