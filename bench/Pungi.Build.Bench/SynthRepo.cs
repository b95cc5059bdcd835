namespace Pungi.Build.Bench;

/// <summary>
/// The cached synthetic input: <c>bench/cache/synth-N/</c> from <c>make-synth-repo.sh N</c> (x86_64, noarch and src), plus
/// the i686 build of the first spec for multilib, plus one extra noarch RPM for the "one RPM added" rebuild.
/// A <c>.complete</c> marker is written last, so an interrupted generation is redone rather than half-used.
/// </summary>
internal sealed class SynthRepo
{
    private const string SourceDateEpoch = "1700000000";

    public required string Dir { get; init; }
    /// <summary>The extra binary RPM and its SRPM (a source tree needs the SRPM of every binary it ships).</summary>
    public required string[] ExtraRpms { get; init; }
    public double GenerateSeconds { get; init; }

    public static SynthRepo Ensure(string cacheDir, string makeSynthScript, int packages)
    {
        var dir = Path.Combine(cacheDir, $"synth-{packages}");
        double seconds = 0;
        if (!File.Exists(Path.Combine(dir, ".complete")))
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            Console.WriteLine($"Generating {packages} synthetic packages into {dir} (cached for later runs)...");
            var env = new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = SourceDateEpoch };
            var gen = Measured.Run(cacheDir, env, "bash", makeSynthScript, packages.ToString(), dir);
            if (gen.ExitCode != 0) throw new BenchException($"make-synth-repo.sh failed:\n{gen.Output}");
            seconds += gen.WallSeconds;
            seconds += BuildI686(dir, env);
            File.WriteAllText(Path.Combine(dir, ".complete"), "");
        }
        return new SynthRepo { Dir = dir, ExtraRpms = EnsureExtraRpms(cacheDir), GenerateSeconds = seconds };
    }

    /// <summary>
    /// The synth script builds x86_64 only; multilib needs i686 packages, so the first spec's SRPM is rebuilt for i686
    /// (its ~750 arch-specific subpackages; the noarch ones already exist). Same pinned build options as the script.
    /// </summary>
    private static double BuildI686(string dir, Dictionary<string, string> env)
    {
        var srpm = Directory.GetFiles(Path.Combine(dir, "src"), "synth0-*.src.rpm").Single();
        var top = Directory.CreateTempSubdirectory("pungi-bench-i686").FullName;
        try
        {
            var m = Measured.Run(dir, env, "rpmbuild", "--quiet", "--rebuild", "--nodeps", "--target=i686",
                "--define", $"_topdir {top}", "--define", $"_rpmdir {top}/rpms",
                "--define", "_binary_payload w3.zstdio", "--define", "_buildhost synth",
                "--define", "use_source_date_epoch_as_buildtime 1", "--define", "clamp_mtime_to_source_date_epoch 1",
                "--define", "__spec_install_post %{nil}", "--define", "debug_package %{nil}", "--define", "_build_id_links none",
                srpm);
            if (m.ExitCode != 0) throw new BenchException($"rpmbuild --target=i686 of {srpm} failed:\n{m.Output}");
            var i686 = Directory.CreateDirectory(Path.Combine(dir, "i686")).FullName;
            foreach (var rpm in Directory.GetFiles(Path.Combine(top, "rpms", "i686"), "*.rpm"))
            {
                var to = Path.Combine(i686, Path.GetFileName(rpm));
                File.Move(rpm, to);
                // createrepo_c copies file mtimes into primary.xml: pinned as the synth script pins its own.
                File.SetLastWriteTimeUtc(to, DateTimeOffset.FromUnixTimeSeconds(long.Parse(SourceDateEpoch)).UtcDateTime);
            }
            return m.WallSeconds;
        }
        finally
        {
            Directory.Delete(top, recursive: true);
        }
    }

    /// <summary>One small noarch package (sy-bench-extra, requiring sy0) dropped into the repository for a rebuild.</summary>
    private static string[] EnsureExtraRpms(string cacheDir)
    {
        var dir = Path.Combine(cacheDir, "extra");
        string[] rpms = [Path.Combine(dir, "noarch", "sy-bench-extra-1.0-1.noarch.rpm"), Path.Combine(dir, "src", "sy-bench-extra-1.0-1.src.rpm")];
        if (rpms.All(File.Exists)) return rpms;
        Directory.CreateDirectory(dir);
        var spec = Path.Combine(dir, "sy-bench-extra.spec");
        File.WriteAllText(spec, """
            Name: sy-bench-extra
            Version: 1.0
            Release: 1
            License: MIT
            Summary: One package added to the synthetic repository between two benchmark builds
            BuildArch: noarch
            AutoReqProv: no
            Requires: sy0
            %description
            Added between two benchmark builds to measure an incremental rebuild.
            %files
            %changelog
            * Tue Nov 14 2023 Synth Bot <synth@example.invalid> - 1.0-1
            - Initial package

            """);
        var top = Path.Combine(dir, "top");
        Measured.Check(dir, new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = SourceDateEpoch },
            "rpmbuild", "--quiet", "-ba", "--nodeps", "--define", $"_topdir {top}", "--define", $"_rpmdir {dir}",
            "--define", $"_srcrpmdir {dir}/src",
            "--define", "_buildhost synth", "--define", "use_source_date_epoch_as_buildtime 1", spec);
        Directory.Delete(top, recursive: true);
        return rpms;
    }
}
