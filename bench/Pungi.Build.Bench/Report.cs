using System.Globalization;
using System.Text;

namespace Pungi.Build.Bench;

/// <summary>The printed table (Markdown, pasted into bench/README.md as is) and the JSON document.</summary>
internal static class Report
{
    public static string Render(int packages, int rpmCount, int maxCpu, List<BuildResult> builds, List<ReferenceRun> refs)
    {
        var cold = builds[0];
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"N = {packages} synthetic packages ({rpmCount} RPM files incl. i686 and SRPMs), dotnet build -nr:false -m:{maxCpu}, {Environment.ProcessorCount} cores, load average at end {LoadAverage()}");
        sb.AppendLine();
        sb.AppendLine("| build | wall s | peak RSS MiB | phases that ran (instances) |");
        sb.AppendLine("|---|---:|---:|---|");
        foreach (var b in builds)
        {
            var ran = b.Phases.Where(p => p.Ran > 0 && !p.Target.StartsWith('_') && p.Target is not "Validate")
                .Select(p => p.Instances > 1 ? $"{p.Target} {p.Ran}/{p.Instances}" : p.Target);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {b.Scenario} | {b.Measurement.WallSeconds:0.00} | {Mib(b.Measurement.PeakRssKb)} | {(string.Join(", ", ran) is { Length: > 0 } s ? s : "none")} |");
        }
        if (builds.FirstOrDefault(b => b.Scenario == "one-variant-changed") is { } changed && builds.FirstOrDefault(b => b.Scenario == "no-op") is { } noop)
        {
            // Issue 11's goal: one changed variant costs its own share plus under 1 s. Its own share is what its own
            // variant.arch instances spent in this rebuild plus Gather's depsolve of it (the edit grows the variant, so
            // its cold-build share, shown too, is smaller than the work it now needs); the rest is the rebuild above that
            // and the no-op: Pkgset, the rest of Gather, the compose-wide closing phases, MSBuild's own overhead.
            double share = changed.ChangedVariantShare, rest = changed.Measurement.WallSeconds - noop.Measurement.WallSeconds - share;
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"One variant changed: {changed.Measurement.WallSeconds:0.00} s = no-op {noop.Measurement.WallSeconds:0.00} s + {ComposeBench.ChangedVariant}'s own share {share:0.00} s (its instances {changed.ChangedVariantSeconds:0.00} s + its depsolve {changed.ChangedVariantSolveSeconds:0.00} s in this rebuild; {cold.ChangedVariantShare:0.00} s in the cold build, before the edit grew it) + {rest:0.00} s of shared phases (goal: under 1 s).");
        }
        sb.AppendLine();
        sb.AppendLine("Per phase (binlog target durations, seconds; LinkPackages and Createrepo summed over variant.arch instances, fan-out = their wall time):");
        sb.AppendLine();
        var phases = ComposeBench.PhaseTargets.Where(t => builds.Any(b => b.Phases.Any(p => p.Target == t))).ToList();
        sb.AppendLine("| phase | " + string.Join(" | ", builds.Select(b => b.Scenario)) + " |");
        sb.AppendLine("|---|" + string.Concat(builds.Select(_ => "---:|")));
        foreach (var t in phases)
        {
            var label = t == "_PungiVariantArchPhases" ? "fan-out (variant.arch)" : t.TrimStart('_');
            sb.AppendLine($"| {label} | " + string.Join(" | ", builds.Select(b =>
                b.Phases.FirstOrDefault(p => p.Target == t) is { } p ? p.Seconds.ToString("0.00", CultureInfo.InvariantCulture) : "-")) + " |");
        }
        sb.AppendLine();
        sb.AppendLine("Against the reference tools on the same input (ratio = Pungi.Build / reference; below 1 is faster):");
        sb.AppendLine();
        sb.AppendLine("| Pungi.Build | s | reference | s | peak RSS MiB | exit | ratio |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|---:|");
        var whole = refs[0];
        var trees = refs[1];
        Row(sb, "cold build, whole compose", cold.Measurement.WallSeconds, trees);
        Row(sb, "Pkgset (cold), every header read", Phase(cold, "Pkgset"), whole);
        Row(sb, $"Createrepo (cold), {cold.Phases.FirstOrDefault(p => p.Target == "Createrepo")?.Ran ?? 0} instances summed", Phase(cold, "Createrepo"), trees);
        // refs[2..3]: dnf repoclosure over the whole repository and over Everything.x86_64 (our Repoclosure does every
        // binary variant.arch, so the sum of its instances stands beside the Everything run, the largest one).
        Row(sb, "(no phase: the whole repository)", null, refs[2]);
        Row(sb, $"Repoclosure (cold), {cold.Phases.FirstOrDefault(p => p.Target == "Repoclosure")?.Ran ?? 0} instances summed", Phase(cold, "Repoclosure"), refs[3]);
        foreach (var r in refs.Skip(4))
            Row(sb, $"Createiso (cold), {cold.Phases.FirstOrDefault(p => p.Target == "_PungiCreateisoVariantArch")?.Ran ?? 0} images summed", Phase(cold, "_PungiCreateisoVariantArch"), r);
        return sb.ToString();
    }

    public static object Json(int packages, int rpmCount, int maxCpu, SynthRepo synth, List<BuildResult> builds, List<ReferenceRun> refs) => new
    {
        packages,
        rpmFiles = rpmCount,
        maxCpuCount = maxCpu,
        cores = Environment.ProcessorCount,
        loadAverage = LoadAverage(),
        generatedInSeconds = synth.GenerateSeconds,
        date = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        peakRssMethod = "/usr/bin/time %M (ru_maxrss of the largest process; MSBuild in-proc with -nr:false)",
        builds = builds.Select(b => new
        {
            scenario = b.Scenario,
            wallSeconds = b.Measurement.WallSeconds,
            peakRssKb = b.Measurement.PeakRssKb,
            binlog = b.Binlog,
            changedVariantSeconds = Math.Round(b.ChangedVariantSeconds, 3),
            changedVariantSolveSeconds = Math.Round(b.ChangedVariantSolveSeconds, 3),
            phases = b.Phases.Select(p => new { target = p.Target, seconds = Math.Round(p.Seconds, 3), ran = p.Ran, instances = p.Instances }),
        }),
        reference = refs.Select(r => new { job = r.Job, command = r.Command, wallSeconds = Math.Round(r.WallSeconds, 3), peakRssKb = r.PeakRssKb, exitCode = r.ExitCode, runs = r.Runs }),
        ratios = new
        {
            coldBuildVsCreaterepoTrees = Ratio(builds[0].Measurement.WallSeconds, refs[1].WallSeconds),
            pkgsetVsCreaterepoWhole = Ratio(Phase(builds[0], "Pkgset"), refs[0].WallSeconds),
            createrepoVsCreaterepoTrees = Ratio(Phase(builds[0], "Createrepo"), refs[1].WallSeconds),
        },
    };

    private static void Row(StringBuilder sb, string ours, double? oursSeconds, ReferenceRun r)
        => sb.AppendLine(CultureInfo.InvariantCulture,
            $"| {ours} | {(oursSeconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "-")} | {r.Job} | {r.WallSeconds:0.00} | {Mib(r.PeakRssKb)} | {r.ExitCode} | {(Ratio(oursSeconds, r.WallSeconds) is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "-")} |");

    private static double? Phase(BuildResult b, string target) => b.Phases.FirstOrDefault(p => p.Target == target)?.Seconds;

    private static double? Ratio(double? ours, double reference) => ours is { } o && reference > 0 ? Math.Round(o / reference, 2) : null;

    private static string Mib(long kb) => (kb / 1024.0).ToString("0", CultureInfo.InvariantCulture);

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
