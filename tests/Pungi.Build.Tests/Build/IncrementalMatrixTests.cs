using System.Diagnostics;
using System.Security.Cryptography;

namespace Pungi.Build.Tests.Build;

/// <summary>
/// Issue 11's incremental matrix: one sample compose taken through a sequence of input changes, each rebuild asserting
/// the exact set of per variant.arch phase targets that ran, and at the end a tree equal to a clean build of the same
/// final inputs. One project carries every step so the matrix costs one cold build, one rebuild per change and one
/// clean build (each step's expected set is worked out from which variant's package list, comps or metadata the
/// change touches, not read back from a run).
/// </summary>
[Collection("spawned builds")]
public sealed class IncrementalMatrixTests
{
    /// <summary>Every per variant.arch phase target the sample runs (the instances the matrix accounts for).</summary>
    private static readonly string[] TreePhases = ["LinkPackages", "Createrepo", "Treeinfo", "Repoclosure", "_PungiCreateisoVariantArch"];

    /// <summary>The per variant.arch phases that run when a variant.arch's package list changes.</summary>
    private static readonly string[] ContentPhases = ["LinkPackages", "Createrepo", "Treeinfo", "Repoclosure", "_PungiCreateisoVariantArch"];

    [SkippableFact]
    public void EachKindOfChange_RerunsExactlyItsVariantArchs_AndEndsEqualToACleanBuild()
    {
        Interop.RequireTool("rpmbuild");
        using var p = SampleCompose.Create();
        var cold = p.Build();
        Assert.True(cold.ExitCode == 0, cold.Describe());

        // 1. An RPM added: sample-tftp 5.2-41 beside 5.2-40. Only Server-optional ships sample-tftp (network-tools), so
        //    only its binary tree and its source tree (the new SRPM) change; latest per name.arch wins (§2.2).
        var built = BuildTftp(p.Dir, "41");
        foreach (var rpm in built) File.Copy(rpm, Path.Combine(p.Dir, "rpms", ArchDir(rpm), Path.GetFileName(rpm)));
        var added = p.Build();
        Assert.True(added.ExitCode == 0, added.Describe());
        Assert.Single(added.Ran("Pkgset"));
        Assert.Single(added.Ran("Gather"));
        AssertRan(added, Expect("Server-optional", "x86_64", ContentPhases), Expect("Server-optional", "src", ContentPhases));

        // 2. The old build removed: the package set keeps the latest only, so its content is unchanged and no tree
        //    reruns (Pkgset rereads its listing; its outputs are rewritten only when their content changes).
        foreach (var old in Directory.EnumerateFiles(Path.Combine(p.Dir, "rpms"), "sample-tftp*-5.2-40.*.rpm", SearchOption.AllDirectories))
            File.Delete(old);
        var removed = p.Build();
        Assert.True(removed.ExitCode == 0, removed.Describe());
        Assert.Single(removed.Ran("Pkgset"));
        Assert.Empty(removed.Ran("Gather"));
        AssertRan(removed);

        // 3. An RPM replaced under the same name by a rebuild with the same metadata: its header is read again (new
        //    inode and mtime) and, although no package list changes, the trees that ship it relink it and rewrite
        //    their repodata (primary's <time file> is the file's mtime, as createrepo_c writes it). sample-nano is in
        //    the standard group of Server and Workstation (the addon and optional variants are trimmed of it, §3.10);
        //    its SRPM did not change, so no source tree reruns.
        var replacement = Path.Combine(p.Dir, "rpms", "x86_64", "sample-nano-" + NanoVersion(p.Dir) + ".x86_64.rpm");
        var copy = replacement + ".new";
        File.Copy(replacement, copy);
        File.Move(copy, replacement, overwrite: true);
        File.SetLastWriteTimeUtc(replacement, DateTime.UtcNow);
        var replaced = p.Build();
        Assert.True(replaced.ExitCode == 0, replaced.Describe());
        Assert.Matches(@"Pkgset: \d+ packages \(1 headers read", replaced.Output);
        // Repoclosure reads the package lists only: the same packages close the same way, so it stays skipped.
        string[] relink = ContentPhases.Where(ph => ph != "Repoclosure").ToArray();
        AssertRan(replaced, Expect("Server", "x86_64", relink), Expect("Workstation", "x86_64", relink));

        // 4. A comps group edited: network-tools (only Server-optional lists it) makes sample-tftp-server a default.
        //    The package list does not change (an optional variant is gathered with fulltree, §3.4, so the server
        //    subpackage was already in beside sample-tftp), but the variant's comps did: its repodata (the group
        //    file), .treeinfo and ISO are redone, nothing is relinked. Source repos carry no comps (§2.6) and no other
        //    variant has the group, so nothing else reruns.
        var comps = Path.Combine(p.Dir, "comps.xml");
        var compsText = File.ReadAllText(comps);
        Assert.Contains("<packagereq type=\"optional\">sample-tftp-server</packagereq>", compsText, StringComparison.Ordinal);
        File.WriteAllText(comps, compsText.Replace("<packagereq type=\"optional\">sample-tftp-server</packagereq>",
            "<packagereq type=\"default\">sample-tftp-server</packagereq>", StringComparison.Ordinal));
        var compsRun = p.Build();
        Assert.True(compsRun.ExitCode == 0, compsRun.Describe());
        Assert.Single(compsRun.Ran("Init"));
        AssertRan(compsRun, Expect("Server-optional", "x86_64", "Createrepo", "Treeinfo", "_PungiCreateisoVariantArch"));

        // 5. A variant's AdditionalPackage changed: Workstation also ships sample-tftp (and its SRPM), until now in Server-optional only.
        var proj = File.ReadAllText(p.ProjectPath);
        File.WriteAllText(p.ProjectPath, proj.Replace(
            "<FilterPackage Include=\"sample-microcode\"",
            "<AdditionalPackage Include=\"sample-tftp\" Variant=\"^Workstation$\" Arch=\"*\" />\n    <FilterPackage Include=\"sample-microcode\"",
            StringComparison.Ordinal));
        var additional = p.Build();
        Assert.True(additional.ExitCode == 0, additional.Describe());
        AssertRan(additional, Expect("Workstation", "x86_64", ContentPhases), Expect("Workstation", "src", ContentPhases));

        // 6. An arch added to one variant: Workstation on i686 too. Its new i686 tree is built; the Workstation source
        //    tree takes SRPMs of the i686 packages, which are the same SRPMs, so it stays; no other variant changes.
        var variants = Path.Combine(p.Dir, "variants.xml");
        var variantsText = File.ReadAllText(variants);
        int ws = variantsText.IndexOf("<variant id=\"Workstation\"", StringComparison.Ordinal);
        int arch = variantsText.IndexOf("<arch>x86_64</arch>", ws, StringComparison.Ordinal);
        File.WriteAllText(variants, variantsText[..arch] + "<arch>i686</arch>\n      " + variantsText[arch..]);
        var archRun = p.Build();
        Assert.True(archRun.ExitCode == 0, archRun.Describe());
        AssertRan(archRun, Expect("Workstation", "i686", ContentPhases));

        // 7. A release property changed: every tree carries the release name (.treeinfo, media.repo, ISO volume
        //    metadata), the package set and the package lists do not.
        File.WriteAllText(p.ProjectPath, File.ReadAllText(p.ProjectPath).Replace(
            "<ReleaseName>Sample Product</ReleaseName>", "<ReleaseName>Sample Product Renamed</ReleaseName>", StringComparison.Ordinal));
        var release = p.Build();
        Assert.True(release.ExitCode == 0, release.Describe());
        Assert.Empty(release.Ran("Pkgset", "Gather"));
        Assert.NotEmpty(release.Ran("Treeinfo"));
        Assert.All(release.Targets("Treeinfo"), t => Assert.True(t.Ran, t.Instance + " kept the old release name"));

        // And the end state equals a clean build of the same inputs.
        using var clean = new ComposeProject("dummy-product");
        foreach (var f in new[] { "variants.xml", "comps.xml", Path.GetFileName(p.ProjectPath) })
            File.Copy(Path.Combine(p.Dir, f), Path.Combine(clean.Dir, f));
        CopyTree(Path.Combine(p.Dir, "rpms"), Path.Combine(clean.Dir, "rpms"));
        var fresh = clean.Build();
        Assert.True(fresh.ExitCode == 0, fresh.Describe());
        var diff = CompareTrees(SampleCompose.TopDir(p), SampleCompose.TopDir(clean));
        Assert.True(diff.Count == 0, "the incrementally built compose differs from a clean build:\n" + string.Join("\n", diff));
    }

    private static (string Variant, string Arch, string[] Phases) Expect(string variant, string arch, params string[] phases)
        => (variant, arch, phases);

    /// <summary>The per variant.arch targets that ran are exactly the expected ones (Createiso for binary and src trees).</summary>
    private static void AssertRan(BuildRun run, params (string Variant, string Arch, string[] Phases)[] expected)
    {
        var want = expected.SelectMany(e => e.Phases
                .Where(ph => run.Targets(ph).Any(t => t.Variant == e.Variant && t.Arch == e.Arch))
                .Select(ph => $"{ph}:{e.Variant}.{e.Arch}"))
            .Order(StringComparer.Ordinal).ToList();
        var got = run.Ran(TreePhases).Where(t => t.Variant != null).Select(t => t.Instance).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(want.SequenceEqual(got),
            $"expected to run: [{string.Join(", ", want)}]\nran:            [{string.Join(", ", got)}]\n{run.BinlogPath}");
    }

    private static string ArchDir(string rpm) => Path.GetFileName(Path.GetDirectoryName(rpm)!);

    private static string NanoVersion(string dir)
    {
        var f = Directory.EnumerateFiles(Path.Combine(dir, "rpms", "x86_64"), "sample-nano-*.x86_64.rpm").Single();
        var name = Path.GetFileName(f);
        return name["sample-nano-".Length..^".x86_64.rpm".Length];
    }

    /// <summary>Builds sample-tftp from the sample's spec with another Release (binary, -server and SRPM).</summary>
    private static List<string> BuildTftp(string dir, string release)
    {
        var work = Path.Combine(dir, "rpmbuild");
        var spec = Path.Combine(work, "sample-tftp.spec");
        Directory.CreateDirectory(work);
        var text = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product", "specs", "sample-tftp.spec"))
            .Select(l => l.StartsWith("Release:", StringComparison.Ordinal) ? "Release:        " + release : l);
        File.WriteAllLines(spec, text);
        var psi = new ProcessStartInfo("rpmbuild") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[]
                 {
                     "-ba", "--nodeps", "--quiet", "--target", "x86_64",
                     "--define", $"_topdir {work}/top", "--define", $"_rpmdir {work}/out", "--define", $"_srcrpmdir {work}/out/src",
                     "--define", "_build_id_links none", spec,
                 })
            psi.ArgumentList.Add(a);
        using var proc = Process.Start(psi)!;
        var err = proc.StandardError.ReadToEndAsync();
        proc.StandardOutput.ReadToEnd();
        proc.WaitForExit();
        Assert.True(proc.ExitCode == 0, "rpmbuild failed: " + err.Result);
        var rpms = Directory.EnumerateFiles(Path.Combine(work, "out"), "*.rpm", SearchOption.AllDirectories).ToList();
        Assert.Equal(3, rpms.Count);
        return rpms;
    }

    /// <summary>
    /// Files under compose/ that differ in content or existence. ISO images and what records their bytes (checksum
    /// files, images.json) are left out: the native writer stamps the build's clock into volume descriptors, so
    /// two builds never give the same bytes (their content is compared through the trees they are made from).
    /// </summary>
    private static List<string> CompareTrees(string a, string b)
    {
        static bool Compared(string rel) =>
            rel.StartsWith("compose" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && !rel.EndsWith(".iso", StringComparison.Ordinal)
            && !rel.EndsWith("CHECKSUM", StringComparison.Ordinal) && !rel.EndsWith("SUM", StringComparison.Ordinal)
            && !rel.EndsWith("images.json", StringComparison.Ordinal)
            && !rel.EndsWith("report.html", StringComparison.Ordinal);
        var left = Files(a).Where(Compared).ToDictionary(f => f, f => Hash(Path.Combine(a, f)));
        var right = Files(b).Where(Compared).ToDictionary(f => f, f => Hash(Path.Combine(b, f)));
        var diff = new List<string>();
        foreach (var f in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            if (!left.TryGetValue(f, out var l)) diff.Add("only in the clean build: " + f);
            else if (!right.TryGetValue(f, out var r)) diff.Add("only in the incremental build: " + f);
            else if (l != r) diff.Add("content differs: " + f);
        }
        return diff;
    }

    private static IEnumerable<string> Files(string root)
        => Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(f => !Directory.Exists(f) || new FileInfo(f).LinkTarget != null)
            .Select(f => Path.GetRelativePath(root, f));

    private static string Hash(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget != null) return "link:" + info.LinkTarget;
        using var s = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(s));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
