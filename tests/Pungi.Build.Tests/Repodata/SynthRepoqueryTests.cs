using Pungi.Build.Pkgset;
using Pungi.Build.Repodata;

namespace Pungi.Build.Tests.Repodata;

/// <summary>
/// Issue 7's 2,000-package criterion, opt-in (generating the repository takes minutes): PUNGI_SYNTH_REPO=DIR made by
/// <c>fixtures/synth/make-synth-repo.sh 2000 DIR</c> (rich deps, Requires(pre), file requires, changelogs). The
/// packages go the way the compose takes them: Pkgset reads every header into its cache, the repodata is written from
/// the cached records (no RPM read again), and dnf repoquery with every field must print what it prints on
/// createrepo_c's repodata of the same directory.
/// </summary>
public class SynthRepoqueryTests
{
    [SkippableFact]
    public void Synth_repo_repoquery_every_field_equals_createrepo_c()
    {
        string? dir = Environment.GetEnvironmentVariable("PUNGI_SYNTH_REPO");
        Skip.If(string.IsNullOrEmpty(dir) || !Directory.Exists(dir), "PUNGI_SYNTH_REPO is not set (opt-in: bash fixtures/synth/make-synth-repo.sh 2000 DIR)");
        Interop.RequireTool("createrepo_c");
        Interop.RequireTool("dnf");
        dir = Path.GetFullPath(dir!);
        string scratch = RepodataTestSupport.TempDir("synth-repoquery");
        try
        {
            var set = PackageSetBuilder.Build(new PkgsetRequest
            {
                WorkDir = Path.Combine(scratch, "work"),
                Arches = ["x86_64"],
                Repositories = [new PackageRepositoryInput(dir)],
                MaxParallelism = 2,
            });
            // The global set: every RPM of the directory (src and i686 included), located relative to it as createrepo_c does.
            var packages = set.Global.Packages
                .Select(e => e.Package.WithLocation(Path.GetRelativePath(dir, e.Path).Replace('\\', '/')))
                .ToList();
            string ours = Path.Combine(scratch, "ours");
            RepodataWriter.Write(ours, packages, new RepodataOptions());
            string theirs = Path.Combine(scratch, "theirs");
            Directory.CreateDirectory(theirs);
            Interop.Run("createrepo_c", "-q", "--no-database", "--workers", "2", "--outputdir", theirs, dir);
            Assert.Equal(RepodataReader.Read(theirs).Count(), packages.Count);

            RepoqueryComparison.AssertSame(RepoqueryComparison.Query([("synth", ours)], "x86_64", scratch),
                RepoqueryComparison.Query([("synth", theirs)], "x86_64", scratch), "synthetic repository " + dir);
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
    }
}
