using Pungi.Build.Compose;
using Pungi.Build.Gather;
using Pungi.Build.Repodata;
using Pungi.Build.Variants;
using Xunit;

namespace Pungi.Build.Tests.Gather;

/// <summary>
/// The memos that let one changed variant rerun only its own depsolve (issue 11): Gather keeps each variant.arch's
/// answer under a key of everything it depends on (<see cref="GatherMemo"/>), and the repos-source Pkgset keys its
/// depsolve on the (queue, name) pairs its lines match (<see cref="GatherEngine.DescribeInitial"/>). The depsolver
/// is deterministic, so a remembered answer must equal a fresh solve; these tests pin that, and that a memo is used
/// exactly when its key holds. Over the 432 pungi-dummy packages.
/// </summary>
public class GatherMemoTests
{
    private static readonly Lazy<List<PackageSetPackage>> Dummy = FixtureRepo.DummyPackageSet;

    private static GatherRequest Request(params string[] lines) => new()
    {
        Arch = "x86_64",
        Repos = [new GatherRepo("repo", Dummy.Value.Select(p => p.Package).ToList())],
        Packages = lines,
        Fulltree = true,
        Selfhosting = true,
        MultilibMethods = ["all"],
    };

    private static List<(string, string)> Pool() => Dummy.Value.Select(p => (p.Package.Name, p.Package.Arch)).ToList();

    private static List<string> Answer(GatherResult r)
        => r.All.Select(g => $"{g.Package.Nevra} {string.Join(",", g.FlagNames)}").Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// gather_dnf.add_initial_packages: each line's glob is matched against the name within one queue (binary,
    /// multilib-only <c>.+</c>, debuginfo by the DEBUG_PATTERNS match), and a line matching nothing is logged. The
    /// name-only description must report the same missing lines as the depsolver for every kind of line.
    /// </summary>
    [Theory]
    [InlineData("dummy-bash", "dummy-nosuch")]
    [InlineData("dummy-bash*", "dummy-krb5-*", "*-nope")]
    [InlineData("dummy-bash.+", "dummy-glibc.+", "dummy-tftp.+")]
    [InlineData("dummy-bash-debuginfo", "dummy-glibc-debuginfo*", "dummy-nosuch-debuginfo")]
    [InlineData("dummy-atlas*.+", "Dummy-firefox", "dummy-release-*")]
    public void Name_only_description_finds_the_missing_lines_the_depsolver_finds(params string[] lines)
    {
        var described = GatherEngine.DescribeInitial(Request(lines), Pool());
        Assert.NotNull(described);
        var solved = GatherEngine.Solve(Request(lines));
        Assert.Equal(solved.MissingPatterns, described.MissingPatterns);
        Assert.NotEmpty(described.Pairs);
    }

    /// <summary>
    /// The claim the Pkgset memo rests on: lines that match the same (queue, name) pairs select the same initial
    /// packages, and the solve from them is the same — whatever the lines' order or how many globs overlap.
    /// </summary>
    [Fact]
    public void Lines_with_the_same_matched_names_describe_alike_and_solve_alike()
    {
        string[] a = ["dummy-krb5*", "dummy-bash"];
        string[] b = ["dummy-bash", "dummy-krb5-devel", "dummy-krb5*", "dummy-krb5-libs", "dummy-nosuch"];
        var da = GatherEngine.DescribeInitial(Request(a), Pool())!;
        var db = GatherEngine.DescribeInitial(Request(b), Pool())!;
        Assert.Equal(da.Pairs, db.Pairs);
        Assert.Equal(Answer(GatherEngine.Solve(Request(a))), Answer(GatherEngine.Solve(Request(b))));

        // A line that reaches a new name changes the pairs (and here the answer).
        var dc = GatherEngine.DescribeInitial(Request([.. a, "dummy-httpd"]), Pool())!;
        Assert.NotEqual(da.Pairs, dc.Pairs);
        // The same name asked for as debuginfo or multilib-only is another pair: another queue, another best package.
        Assert.NotEqual(da.Pairs, GatherEngine.DescribeInitial(Request([.. a, "dummy-bash.+"]), Pool())!.Pairs);
    }

    /// <summary>Excludes, a multilib blacklist and system-release under greedy all look at more than names: no description.</summary>
    [Fact]
    public void Requests_that_depend_on_more_than_names_have_no_description()
    {
        Assert.Null(GatherEngine.DescribeInitial(Request("dummy-bash", "-dummy-bash-doc"), Pool()));
        var blacklist = Request("dummy-bash");
        Assert.Null(GatherEngine.DescribeInitial(new GatherRequest { Arch = "x86_64", Repos = blacklist.Repos, Packages = blacklist.Packages, MultilibBlacklist = ["dummy-glibc"] }, Pool()));
        Assert.Null(GatherEngine.DescribeInitial(new GatherRequest { Arch = "x86_64", Repos = blacklist.Repos, Packages = ["system-release"], Greedy = GreedyMethod.All }, Pool()));
    }

    private sealed class Compose : IDisposable
    {
        public string Dir { get; } = Path.Combine(Path.GetTempPath(), "pungi-gather-memo-" + Guid.NewGuid().ToString("N")[..8]);

        public Compose()
        {
            Directory.CreateDirectory(Dir);
            File.WriteAllText(Path.Combine(Dir, "variants.xml"), """
                <?xml version="1.0"?>
                <variants>
                  <variant id="Server" name="Server" type="variant"><arches><arch>x86_64</arch></arches></variant>
                  <variant id="Client" name="Client" type="variant"><arches><arch>x86_64</arch></arches></variant>
                </variants>
                """);
        }

        public ComposeLayout Layout => new(Dir);

        public GatherPhaseResult Run(string clientPackage, bool memo = true, int parallelism = 2, string serverPackage = "dummy-krb5-workstation", string identity = "dummy-repo-v1")
            => GatherPhase.Run(new GatherPhaseRequest
        {
            Layout = Layout,
            MaxParallelism = parallelism,
            Variants = VariantsXml.Load(Path.Combine(Dir, "variants.xml")),
            PackageSet = _ => Dummy.Value,
            PackageSetIdentity = memo ? _ => identity : null,
            Comps = (_, _) => null,
            AdditionalPackages =
            [
                new VariantArchValue<string>("^Server$", "*", serverPackage),
                new VariantArchValue<string>("^Client$", "*", clientPackage),
            ],
            CheckDeps = false,
        });

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    private static List<string> Lines(GatherPhaseResult r, string uid)
        => r.Maps["x86_64"][uid].Rpm.Select(e => $"{Path.GetFileName(e.Path)} {string.Join(",", e.Flags)}").Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Gather reruns all variants of an arch together (trimming, §3.10); with the memo a variant whose inputs did not
    /// change reads back its answer. Pinned by planting a different answer under the right key: it is what comes back
    /// (so the memo is read), and once the variant's own input changes the planted answer is ignored (solved afresh).
    /// </summary>
    [Fact]
    public void A_variant_whose_inputs_are_unchanged_reads_back_its_answer_and_a_changed_one_is_solved()
    {
        using var c = new Compose();
        var fresh = c.Run("dummy-bash", memo: false);
        var first = c.Run("dummy-bash");
        Assert.Equal([("x86_64", "Client"), ("x86_64", "Server")], first.Solved.Keys.Order());
        Assert.Equal(Lines(fresh, "Server"), Lines(first, "Server"));
        Assert.Equal(Lines(fresh, "Client"), Lines(first, "Client"));

        // Plant: keep Server's key, swap its answer for Client's.
        var serverMemo = GatherMemo.PathOf(c.Layout, "x86_64", "Server");
        var clientMemo = GatherMemo.PathOf(c.Layout, "x86_64", "Client");
        Assert.True(File.Exists(serverMemo) && File.Exists(clientMemo));
        string serverKey = KeyIn(serverMemo);
        var clientEntry = GatherMemo.TryLoad(clientMemo, KeyIn(clientMemo))!;
        GatherMemo.Save(serverMemo, serverKey, clientEntry);

        var planted = c.Run("dummy-bash");
        Assert.Equal(Lines(first, "Client"), Lines(planted, "Server"));

        // Client changes: Client is solved (its new package is in), Server still reads the planted memo.
        var changed = c.Run("dummy-httpd");
        Assert.Equal([("x86_64", "Client")], changed.Solved.Keys); // what the task logs as solved, and the bench counts as Client's own
        Assert.Contains(Lines(changed, "Client"), l => l.StartsWith("dummy-httpd-", StringComparison.Ordinal));
        Assert.Equal(Lines(c.Run("dummy-httpd", memo: false), "Client"), Lines(changed, "Client"));
    }

    /// <summary>A memo of another key, a truncated one or one of another format is never used: the variant is solved.</summary>
    [Fact]
    public void A_stale_or_damaged_memo_is_solved_again()
    {
        using var c = new Compose();
        var first = c.Run("dummy-bash");
        var serverMemo = GatherMemo.PathOf(c.Layout, "x86_64", "Server");
        var bytes = File.ReadAllBytes(serverMemo);
        File.WriteAllBytes(serverMemo, bytes[..(bytes.Length / 2)]);
        Assert.Equal(Lines(first, "Server"), Lines(c.Run("dummy-bash"), "Server"));
        Assert.Null(GatherMemo.TryLoad(serverMemo, "another-key"));
        File.WriteAllText(serverMemo, "not a memo");
        Assert.Equal(Lines(first, "Server"), Lines(c.Run("dummy-bash"), "Server"));
    }

    /// <summary>
    /// The variants of one type are solved at once over one shared sack; what comes out — every map, the warnings in
    /// variant order — is what solving them one by one, each over its own sack, gives.
    /// </summary>
    [Fact]
    public void Variants_solved_at_once_over_a_shared_sack_give_what_one_by_one_gives()
    {
        using var c = new Compose();
        var parallel = c.Run("dummy-nosuch-a", memo: false, parallelism: 4, serverPackage: "dummy-nosuch-b");
        var serial = c.Run("dummy-nosuch-a", memo: false, parallelism: 1, serverPackage: "dummy-nosuch-b");
        Assert.Equal(serial.Warnings, parallel.Warnings);
        Assert.Equal(2, parallel.Warnings.Count(w => w.Contains("No package matches pattern dummy-nosuch-", StringComparison.Ordinal)));
        var order = VariantsXml.Load(Path.Combine(c.Dir, "variants.xml")).All.Select(v => v.Uid).ToList();
        Assert.Equal(order, parallel.Warnings.Select(w => w[..w.IndexOf('.', StringComparison.Ordinal)]).Distinct());
        foreach (var uid in new[] { "Server", "Client" })
            Assert.Equal(Lines(serial, uid), Lines(parallel, uid));

        var request = Request("dummy-krb5-workstation", "dummy-bash*");
        var sack = new GatherSack(request.Repos);
        Assert.Equal(Answer(GatherEngine.Solve(request)), Answer(GatherEngine.Solve(request, sack)));
        Assert.Throws<ArgumentException>(() => GatherEngine.Solve(Request("dummy-bash"), sack));
    }

    private static string KeyIn(string memoPath)
    {
        using var r = new BinaryReader(File.OpenRead(memoPath), System.Text.Encoding.UTF8);
        r.ReadString();
        r.ReadInt32();
        return r.ReadString();
    }

    /// <summary>
    /// The digests beside the package lists are recomputed only when their list or the package set's identity changed:
    /// pinned by spoiling a digest file between runs. With everything equal it is left as it is (so the digest was not
    /// recomputed); a new set identity recomputes it to the value a fresh run writes.
    /// </summary>
    [Fact]
    public void List_digests_are_left_alone_while_their_list_and_package_set_are_unchanged()
    {
        using var c = new Compose();
        c.Run("dummy-bash");
        var digest = GatherPhase.PackageDigestPath(c.Layout.PackageList("x86_64", VariantsXml.Load(Path.Combine(c.Dir, "variants.xml")).Find("Client")!, "rpm"));
        var right = File.ReadAllText(digest);
        Assert.Matches("^[0-9a-f]{64}\n$", right);

        File.WriteAllText(digest, "spoiled\n");
        c.Run("dummy-bash");
        Assert.Equal("spoiled\n", File.ReadAllText(digest));

        c.Run("dummy-bash", identity: "dummy-repo-v2");
        Assert.Equal(right, File.ReadAllText(digest));

        // Without a set identity nothing is remembered: every digest is computed.
        File.WriteAllText(digest, "spoiled\n");
        c.Run("dummy-bash", memo: false);
        Assert.Equal(right, File.ReadAllText(digest));
    }
}
