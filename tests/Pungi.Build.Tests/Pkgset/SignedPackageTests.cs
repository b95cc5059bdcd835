using Pungi.Build.Diagnostics;
using Pungi.Build.Pkgset;
using Xunit;

namespace Pungi.Build.Tests.Pkgset;

/// <summary>
/// sigkeys against really signed RPMs (fixtures/rpm-facts/sign-rpms.sh: rpmsign with a throw-away gpg key). Skipped
/// when rpmsign or gpg is missing, failing instead under PUNGI_REQUIRE_INTEROP=1.
/// </summary>
public class SignedPackageTests
{
    private const string Rpm = "dummy-basesystem-10.0-6.noarch.rpm";
    private const string Srpm = "dummy-basesystem-10.0-6.src.rpm";

    /// <summary>repo "signed" (signed copies) and repo "plain" (unsigned copies of the same NEVRAs); returns the sigkey.</summary>
    private static string MakeRepos(TempDir tmp, out string signedRepo, out string plainRepo)
    {
        PkgsetTestSupport.RequireTools("rpmsign", "gpg", "bash");
        signedRepo = tmp.Sub("signed");
        plainRepo = tmp.Sub("plain");
        foreach (var (dir, file) in new[] { ("noarch", Rpm), ("src", Srpm) })
        {
            File.Copy(Path.Combine(TestPaths.PungiDummyRpms, dir, file), Path.Combine(signedRepo, file));
            File.Copy(Path.Combine(TestPaths.PungiDummyRpms, dir, file), Path.Combine(plainRepo, file));
        }
        string script = Path.Combine(TestPaths.Fixtures, "rpm-facts", "sign-rpms.sh");
        string output = PkgsetTestSupport.Run("bash", script, Path.Combine(tmp.Path, "gnupg"),
            Path.Combine(signedRepo, Rpm), Path.Combine(signedRepo, Srpm));
        string key = output.Trim().Split('\n')[^1].Trim();
        Assert.Matches("^[0-9a-f]{8}$", key);
        return key;
    }

    private static PkgsetRequest Request(string work, IReadOnlyList<string?> sigkeys, params string[] repos) => new()
    {
        WorkDir = work,
        Arches = ["x86_64"],
        Repositories = repos.Select(r => new PackageRepositoryInput(r)).ToList(),
        Sigkeys = sigkeys,
    };

    [SkippableFact] // Koji source step 6: sigkeys in priority order; the copy signed with the first listed key wins
    public void SignedCopyPreferredAndWrongKeyRejected()
    {
        using var tmp = new TempDir();
        string key = MakeRepos(tmp, out var signed, out var plain);

        // plain repo first in read order: with [key, None] the signed copy still wins (priority, not order).
        var r = PackageSetBuilder.Build(Request(Path.Combine(tmp.Path, "w1"), [key, null], plain, signed));
        Assert.All(r.Arches["x86_64"].Packages, e => Assert.Equal(key, e.Summary.SigKey));
        Assert.All(r.Arches["x86_64"].Packages, e => Assert.StartsWith(signed, e.Path));

        // Only the key: the signed repo alone passes; the plain one fails, naming the packages and "unsigned".
        Assert.Equal(2, PackageSetBuilder.Build(Request(Path.Combine(tmp.Path, "w2"), [key.ToUpperInvariant()], signed)).Global.Packages.Count);
        var ex = Assert.Throws<PungiException>(() => PackageSetBuilder.Build(Request(Path.Combine(tmp.Path, "w3"), [key], plain)));
        Assert.Equal(ErrorCodes.PkgsetUnsignedPackages, ex.Code);
        Assert.Contains("dummy-basesystem-10.0-6.noarch (unsigned", ex.Message);

        // A key not in Sigkeys: the message lists the key found on the package.
        ex = Assert.Throws<PungiException>(() => PackageSetBuilder.Build(Request(Path.Combine(tmp.Path, "w4"), ["deadbeef"], signed)));
        Assert.Contains($"key {key}", ex.Message);
        Assert.Contains("deadbeef", ex.Message);
    }

    [SkippableFact] // re-signing rewrites the file: the header cache notices and reads it again
    public void ResigningIsNoticedByTheCache()
    {
        using var tmp = new TempDir();
        string key = MakeRepos(tmp, out var signed, out var plain);
        string work = Path.Combine(tmp.Path, "work");
        string target = Path.Combine(plain, Rpm);
        var first = PackageSetBuilder.Build(Request(work, [null], plain));
        Assert.Null(first.Global.Packages.Single(e => e.Path == target).Summary.SigKey);
        File.Copy(Path.Combine(signed, Rpm), target, overwrite: true);
        var again = PackageSetBuilder.Build(Request(work, [null], plain));
        Assert.Equal(1, again.HeadersRead);
        Assert.Equal(key, again.Global.Packages.Single(e => e.Path == target).Summary.SigKey);
    }
}
