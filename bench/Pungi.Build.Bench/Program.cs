using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pungi.Build.Bench;

/// <summary>
/// bench/run.sh [N]: generates (or reuses) the synthetic N-package repository, composes it four times (cold, no-op,
/// one variant changed, one RPM added), runs the reference tools on the same input, and prints a table with ratios
/// plus bench/out/bench-N.json. Timings are reported, never asserted.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: pungi-bench [--micro | --prepare] [--validate [--runs R] [--il]] [--koji-images] [--poll S] [--packages N] [--maxcpucount M] [--synth-script PATH] [--comps PATH]\n" +
        "  --koji-images: N simulated Koji image tasks (default 500) waited on by one watcher; --poll S seconds (default 0.25).\n" +
        "  --validate: R cold `dotnet build -t:Validate -nr:false` runs of samples/dummy-product (default 5), split by binlog into\n" +
        "    MSBuild's part and ours; --il measures the task DLL without ReadyToRun (the before figure).\n" +
        "  --micro: call the library directly (header read, pkgset, comps, gather, createrepo) instead of composing.\n" +
        "  --prepare: only generate (or check) the cached synthetic N-package repository, e.g. ahead of a quiet machine.\n" +
        "  --iso DIR: only the ISO row (native IsoWriter vs xorrisofs + implantisomd5) over DIR, e.g. a 20,000-file tree.\n" +
        "  N defaults to 2000 (the issue's sizes are 2000, 20000 and 60000); M is -m for dotnet build, default 1.";

    public static int Main(string[] args)
    {
        int packages = 2000, maxCpu = 1;
        string? synthScript = null, comps = null;
        bool micro = false, koji = false, prepare = false, countGiven = false, validate = false, il = false;
        int runs = 5;
        double poll = 0.25;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new BenchException(Usage);
            switch (args[i])
            {
                case "--packages" or "-n": packages = int.Parse(Next(), CultureInfo.InvariantCulture); countGiven = true; break;
                case "--koji-images": koji = true; break;
                case "--poll": poll = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--maxcpucount" or "-m": maxCpu = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--synth-script": synthScript = Next(); break;
                case "--micro": micro = true; break;
                case "--prepare": prepare = true; break;
                case "--validate": validate = true; break;
                case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--il": il = true; break;
                case "--iso": Micro.IsoOnly(Next()); return 0;
                case "--comps": comps = Next(); break;
                case "--help" or "-h": Console.WriteLine(Usage); return 0;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }
        if (packages < 1 || maxCpu < 1) { Console.Error.WriteLine(Usage); return 2; }
        try
        {
            if (validate) ValidateBench.Run(FindRepoRoot(), Path.Combine(FindRepoRoot(), "bench"), Math.Max(1, runs), readyToRun: !il);
            else if (koji) KojiImagesBench.Run(countGiven ? packages : 500, poll);
            else if (micro) RunMicro(packages, synthScript, comps);
            else if (prepare) Prepare(packages, synthScript);
            else Run(packages, maxCpu, synthScript);
            return 0;
        }
        catch (BenchException e)
        {
            Console.Error.WriteLine("pungi-bench: " + e.Message);
            return 1;
        }
    }

    private static void Run(int packages, int maxCpu, string? synthScript)
    {
        var repoRoot = FindRepoRoot();
        var bench = Path.Combine(repoRoot, "bench");
        synthScript ??= DefaultSynthScript(repoRoot);
        if (!File.Exists(synthScript)) throw new BenchException($"make-synth-repo.sh not found at {synthScript} (give --synth-script)");
        foreach (var tool in new[] { "rpmbuild", "createrepo_c", "dnf" })
            if (!OnPath(tool)) throw new BenchException($"{tool} is not on PATH (apt-get install rpm createrepo-c dnf dnf-plugins-core)");

        var cache = Directory.CreateDirectory(Path.Combine(bench, "cache")).FullName;
        var outDir = Directory.CreateDirectory(Path.Combine(bench, "out", packages.ToString(CultureInfo.InvariantCulture))).FullName;
        var synth = SynthRepo.Ensure(cache, synthScript, packages);
        int rpmCount = Directory.EnumerateFiles(synth.Dir, "*.rpm", SearchOption.AllDirectories).Count();
        Console.WriteLine($"Input: {synth.Dir} ({rpmCount} RPMs incl. i686 and SRPMs)");

        Console.WriteLine("Building the task DLL (Release)...");
        Measured.Check(repoRoot, null, "dotnet", "build", Path.Combine(repoRoot, "src", "Pungi.Build.Tasks", "Pungi.Build.Tasks.csproj"),
            "-c", "Release", "-nologo", "-v:q", "-nr:false");

        var compose = new ComposeBench(repoRoot, Path.Combine(outDir, "compose"), maxCpu);
        compose.Create(synth);
        Console.WriteLine($"Composing {compose.ProjectPath} (dotnet build -nr:false -m:{maxCpu}):");
        var builds = new List<BuildResult> { compose.Build("cold"), compose.Build("no-op") };
        compose.ChangeOneVariant();
        builds.Add(compose.Build("one-variant-changed"));

        // The reference tools run on the tree state the cold build's repodata describe... before the RPM is added.
        Console.WriteLine("Reference tools on the same input:");
        var refs = new List<ReferenceRun>
        {
            ReferenceTools.CreaterepoWholeRepo(compose.RepoDir, Path.Combine(outDir, "ref", "whole")),
            ReferenceTools.CreaterepoComposeTrees(compose.ComposeDir, Path.Combine(outDir, "ref", "trees")),
        };
        refs.Add(ReferenceTools.Repoclosure("dnf repoclosure, whole repository", Path.Combine(outDir, "ref", "whole"), Path.Combine(outDir, "ref", "dnf-whole")));
        refs.Add(ReferenceTools.Repoclosure("dnf repoclosure, our Everything/x86_64/os", Path.Combine(compose.ComposeDir, "Everything", "x86_64", "os"), Path.Combine(outDir, "ref", "dnf-everything")));
        if (OnPath("xorrisofs"))
            refs.Add(ReferenceTools.XorrisoComposeTrees(compose.ComposeDir, Path.Combine(outDir, "ref", "iso")));

        compose.AddOneRpm(synth, freshMtime: false);
        builds.Add(compose.Build("one-rpm-added-old-mtime"));
        compose.AddOneRpm(synth, freshMtime: true);
        builds.Add(compose.Build("one-rpm-added"));

        var report = Report.Render(packages, rpmCount, maxCpu, builds, refs);
        Console.WriteLine();
        Console.WriteLine(report);
        var json = Path.Combine(bench, "out", $"bench-{packages}.json");
        File.WriteAllText(json, JsonSerializer.Serialize(Report.Json(packages, rpmCount, maxCpu, synth, builds, refs), new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(bench, "out", $"bench-{packages}.md"), report);
        Console.WriteLine($"JSON: {json}");
    }

    private static void Prepare(int packages, string? synthScript)
    {
        var repoRoot = FindRepoRoot();
        var bench = Path.Combine(repoRoot, "bench");
        synthScript ??= DefaultSynthScript(repoRoot);
        var synth = SynthRepo.Ensure(Directory.CreateDirectory(Path.Combine(bench, "cache")).FullName, synthScript, packages);
        Console.WriteLine($"Ready: {synth.Dir} (generated in {synth.GenerateSeconds:F0} s; 0 means it was cached)");
    }

    private static void RunMicro(int packages, string? synthScript, string? comps)
    {
        var repoRoot = FindRepoRoot();
        var bench = Path.Combine(repoRoot, "bench");
        synthScript ??= DefaultSynthScript(repoRoot);
        comps ??= Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "fixtures", "fedora-comps", "comps-f40.xml.in"));
        if (!OnPath("createrepo_c")) throw new BenchException("createrepo_c is not on PATH (apt-get install createrepo-c)");
        var cache = Directory.CreateDirectory(Path.Combine(bench, "cache")).FullName;
        if (!File.Exists(Path.Combine(cache, $"synth-{packages}", ".complete")) && !File.Exists(synthScript))
            throw new BenchException($"make-synth-repo.sh not found at {synthScript} (give --synth-script)");
        var synth = SynthRepo.Ensure(cache, synthScript, packages);
        Micro.Run(repoRoot, bench, synth, packages, comps);
    }

    /// <summary>PUNGI_SYNTH_SCRIPT, else the shared fixtures' generator beside the repository.</summary>
    private static string DefaultSynthScript(string repoRoot)
        => Environment.GetEnvironmentVariable("PUNGI_SYNTH_SCRIPT")
           ?? Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "fixtures", "synth", "make-synth-repo.sh"));

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Pungi.Build.sln"))) return d.FullName;
        throw new BenchException("cannot find the repository root (Pungi.Build.sln) above " + AppContext.BaseDirectory);
    }

    private static bool OnPath(string tool)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));
}
