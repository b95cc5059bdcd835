using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pungi.Build.Comps;
using Pungi.Build.Gather;
using Pungi.Build.Iso;
using Pungi.Build.Pkgset;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;

namespace Pungi.Build.Bench;

/// <summary>
/// bench/run.sh --micro [N]: the domain library called directly (no MSBuild), one row per issue goal, beside the
/// reference tool where one exists. Prints a table and writes bench/out/micro-N.json. Timings are reported, never asserted.
/// </summary>
internal static class Micro
{
    private sealed record Row(string Item, string What, double Seconds, string? Reference, double? ReferenceSeconds, string Goal, string Note);

    public static void Run(string repoRoot, string bench, SynthRepo synth, int packages, string? compsFile)
    {
        var dir = synth.Dir;
        var rpms = Directory.EnumerateFiles(dir, "*.rpm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var outDir = Directory.CreateDirectory(Path.Combine(bench, "out")).FullName;
        var scratch = Directory.CreateTempSubdirectory("pungi-bench-micro").FullName;
        var rows = new List<Row>();
        try
        {
            Console.WriteLine($"Micro benchmark over {dir} ({rpms.Length} RPMs), {Environment.ProcessorCount} cores");

            // Warm-up (JIT) on a few files so item 1 measures reading, not compiling.
            foreach (var f in rpms.Take(20)) RpmHeaderReader.Read(f, new RpmReadOptions { RepositoryRoot = dir });

            // 1. Header reading, parallel over 2 cores, with file lists and checksums (what createrepo_c does).
            var read = new ConcurrentBag<RpmPackage>();
            var sw = Stopwatch.StartNew();
            Parallel.ForEach(rpms, new ParallelOptions { MaxDegreeOfParallelism = 2 },
                f => read.Add(RpmHeaderReader.Read(f, new RpmReadOptions { RepositoryRoot = dir, ReadFiles = true })));
            double headerSeconds = sw.Elapsed.TotalSeconds;
            var pkgs = read.OrderBy(p => p.Location, StringComparer.Ordinal).ToList();
            var crc = ReferenceTools.CreaterepoWholeRepo(dir, Path.Combine(scratch, "ref-whole"));
            rows.Add(new Row("1 header read (issue 3)", $"RpmHeaderReader.Read x{rpms.Length}, files + sha256, Parallel.ForEach 2", headerSeconds,
                "createrepo_c --workers 2 --no-database", crc.WallSeconds, "20,000 headers < 2 s", Scaled(headerSeconds, rpms.Length)));

            // 2. Pkgset cold (empty work dir) then warm (header cache present).
            var work = Path.Combine(scratch, "pkgset-work");
            PkgsetResult Pkgset() => PackageSetBuilder.Build(new PkgsetRequest
            {
                WorkDir = work, Arches = ["x86_64"], Repositories = [new PackageRepositoryInput(dir)], MaxParallelism = 2,
            });
            sw.Restart(); var cold = Pkgset(); double pkgsetCold = sw.Elapsed.TotalSeconds;
            sw.Restart(); var warm = Pkgset(); double pkgsetWarm = sw.Elapsed.TotalSeconds;
            rows.Add(new Row("2 pkgset cold (issue 4)", $"PackageSetBuilder.Build, empty work dir ({cold.HeadersRead} read, {cold.HeadersFromCache} cached)", pkgsetCold,
                "createrepo_c --workers 2 --no-database", crc.WallSeconds, "< 3 s at 20k", $"{cold.Global.Packages.Count} pkgs in global set"));
            rows.Add(new Row("2 pkgset warm (issue 4)", $"PackageSetBuilder.Build, header cache present ({warm.HeadersRead} read, {warm.HeadersFromCache} cached)", pkgsetWarm,
                null, null, "< 0.3 s at 20k", ""));

            // 3. Comps: the Fedora comps filtered for 10 variant.arch pairs (arch comps, then the variant filter).
            if (compsFile != null && File.Exists(compsFile))
            {
                string[] arches = ["x86_64", "aarch64"];
                string[] variants = ["Server", "Workstation", "Everything", "Cloud", "Container"];
                sw.Restart();
                var doc = CompsDocument.Load(compsFile);
                long bytes = 0;
                foreach (var arch in arches)
                {
                    bytes += CompsInit.BuildArch(doc, arch).Length;
                    foreach (var v in variants)
                        bytes += CompsFilter.FilterToBytes(doc, arch, v, CompsFilterOptions.ForVariant(v, [])).Length;
                }
                double compsSeconds = sw.Elapsed.TotalSeconds;
                rows.Add(new Row("3 comps filter (issue 5)", $"CompsDocument.Load + BuildArch x2 + FilterToBytes x10 ({Path.GetFileName(compsFile)})", compsSeconds,
                    null, null, "< 0.5 s", $"{bytes / 1024} KiB written; includes first-call JIT"));
            }
            else Console.WriteLine($"(comps skipped: {compsFile} not found)");

            // 4. Gather: every package of the repository selected, deps resolved.
            var gatherPkgs = warm.Global.Packages.Select(e => e.Package).ToList();
            sw.Restart();
            var gathered = GatherEngine.Solve(new GatherRequest { Arch = "x86_64", Repos = [new GatherRepo("r", gatherPkgs)], Packages = ["*"] });
            double gatherSeconds = sw.Elapsed.TotalSeconds;
            rows.Add(new Row("4 gather * (issue 6)", $"GatherEngine.Solve, Packages=[*] over {gatherPkgs.Count} pkgs", gatherSeconds,
                null, null, "< 1 s at 20k (upstream 3.3 s)", $"{gathered.Rpm.Count} rpm + {gathered.Srpm.Count} srpm selected"));

            // 5. Createrepo: repodata for every package from the headers already read (warm) and with the read (cold).
            var repoOut = Path.Combine(scratch, "repodata-out");
            Directory.CreateDirectory(repoOut);
            sw.Restart();
            RepodataWriter.Write(repoOut, pkgs, new RepodataOptions());
            double writeSeconds = sw.Elapsed.TotalSeconds;
            rows.Add(new Row("5 createrepo warm (issue 7)", $"RepodataWriter.Write, {pkgs.Count} pkgs from headers in memory", writeSeconds,
                "createrepo_c --workers 2 --no-database", crc.WallSeconds, "<= 0.3x createrepo_c", ""));
            rows.Add(new Row("5 createrepo cold (issue 7)", "header read (item 1) + RepodataWriter.Write", headerSeconds + writeSeconds,
                "createrepo_c --workers 2 --no-database", crc.WallSeconds, "<= 1x createrepo_c", ""));

            rows.Add(IsoRow(dir, scratch));
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }

        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"N = {packages} synthetic packages ({rpms.Length} RPM files), library called directly, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {load}");
        md.AppendLine();
        md.AppendLine("| item | what | Pungi.Build s | reference | ref s | ratio | goal | note |");
        md.AppendLine("|---|---|---:|---|---:|---:|---|---|");
        foreach (var r in rows)
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Item} | {r.What} | {r.Seconds:F3} | {r.Reference ?? "-"} | {(r.ReferenceSeconds is double s ? s.ToString("F2", CultureInfo.InvariantCulture) : "-")} | {(r.ReferenceSeconds is double t && t > 0 ? (r.Seconds / t).ToString("F2", CultureInfo.InvariantCulture) : "-")} | {r.Goal} | {r.Note} |");
        Console.WriteLine();
        Console.WriteLine(md);
        var json = Path.Combine(outDir, $"micro-{packages}.json");
        File.WriteAllText(json, JsonSerializer.Serialize(new
        {
            packages, rpmFiles = rpms.Length, cores = Environment.ProcessorCount, utc = DateTime.UtcNow.ToString("o"), loadAverage = load,
            rows = rows.Select(r => new { r.Item, r.What, r.Seconds, r.Reference, r.ReferenceSeconds, ratio = r.ReferenceSeconds > 0 ? r.Seconds / r.ReferenceSeconds : null, r.Goal, r.Note }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(outDir, $"micro-{packages}.md"), md.ToString());
        Console.WriteLine($"JSON: {json}");
    }

    /// <summary>bench/run.sh --iso DIR: the ISO row alone over any directory.</summary>
    public static void IsoOnly(string dir)
    {
        var scratch = Directory.CreateTempSubdirectory("pungi-bench-iso").FullName;
        try
        {
            var r = IsoRow(Path.GetFullPath(dir), scratch);
            var ratio = r.ReferenceSeconds is double t && t > 0 ? (r.Seconds / t).ToString("F2", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Item}: {r.What}: native {r.Seconds:F2} s; {r.Reference}: {r.ReferenceSeconds:F2} s; ratio {ratio} (goal {r.Goal}); {r.Note}"));
            Console.WriteLine($"load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?")}");
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// 6. ISO (issue 8): a directory as one DVD image, md5 implanted, native writer vs xorrisofs with upstream's
    /// non-bootable options + implantisomd5 (what the xorriso backend runs).
    /// </summary>
    private static Row IsoRow(string dir, string scratch)
    {
        var sw = Stopwatch.StartNew();
        var nativeIso = Path.Combine(scratch, "native.iso");
        var iso = IsoWriter.Write(new IsoImageSpec { SourceDirectory = dir, VolumeId = "SYNTH-1 x86_64", ImplantMd5 = true, TimestampFromTree = true }, nativeIso);
        double isoSeconds = sw.Elapsed.TotalSeconds;
        File.Delete(nativeIso);
        var refIso = Path.Combine(scratch, "xorriso.iso");
        var xo = Measured.Run(scratch, null, "xorrisofs", "-untranslated-filenames", "-volid", "SYNTH-1 x86_64", "-J", "-joliet-long", "-rational-rock",
            "-input-charset", "utf-8", "-x", "./lost+found", "-o", refIso, dir);
        var im = xo.ExitCode == 0 ? Measured.Run(scratch, null, "implantisomd5", refIso) : null;
        double? refSeconds = xo.ExitCode == 0 && im is { ExitCode: 0 } ? xo.WallSeconds + im.WallSeconds : null;
        try { File.Delete(refIso); } catch (IOException) { }
        return new Row("6 iso (issue 8)", $"IsoWriter.Write, {iso.Files} files, RR + Joliet + implanted md5 ({iso.Size / 1048576.0:F0} MiB)", isoSeconds,
            "xorrisofs (-J -joliet-long -rational-rock) + implantisomd5", refSeconds, "<= 0.5x xorriso",
            refSeconds is null ? "xorrisofs/implantisomd5 missing or failed" : string.Create(CultureInfo.InvariantCulture, $"xorrisofs {xo.WallSeconds:F2} s + implantisomd5 {im!.WallSeconds:F2} s"));
    }

    private static string Scaled(double seconds, int files) => files == 0 ? "" :
        string.Create(CultureInfo.InvariantCulture, $"{files / seconds:F0} headers/s = {20000 * seconds / files:F2} s per 20k");
}
