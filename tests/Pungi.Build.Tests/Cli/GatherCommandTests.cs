using System.Text.Json;
using Pungi.Build.Cli;
using Xunit;

namespace Pungi.Build.Tests.Cli;

/// <summary>
/// <c>pungi-build gather</c> run in-process over the real fixtures: the pungi-dummy repodata (upstream's
/// <c>tests/fixtures/repos/</c>) and the sample product's RPM files. Expected package lists are upstream's own
/// <c>tests/test_gather.py</c> expectations (named per test) or worked out by hand from the fixtures' requires
/// with the rules of spec §3.3–3.9 (the derivation is in the comment).
/// </summary>
public sealed class GatherCommandTests
{
    private static string Repos => Path.Combine(TestPaths.Fixtures, "pungi-dummy", "repos");
    private static string Repo => Path.Combine(Repos, "repo");
    private static string Krb5Lookaside => Path.Combine(Repos, "repo-krb5-lookaside");
    private static string DummyComps => Path.Combine(Repo, "repodata", "dummy-comps.xml");
    private static string SampleRpms => Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product", "rpms");

    private sealed record Run(int Code, string Out, string Err)
    {
        /// <summary>The file names of the <c>KIND(flags): file</c> lines of one kind, sorted.</summary>
        public List<string> Files(string kind) => Lines(kind).Select(l => l.File).Order(StringComparer.Ordinal).ToList();

        public List<(string Flags, string File)> Lines(string kind) => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith(kind + "(", StringComparison.Ordinal))
            .Select(l =>
            {
                int close = l.IndexOf("): ", StringComparison.Ordinal);
                return (l[(kind.Length + 1)..close], l[(close + 3)..]);
            }).ToList();
    }

    private static Run Gather(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Program.Run(["gather", .. args], stdout, stderr);
        var run = new Run(code, stdout.ToString(), stderr.ToString());
        Assert.DoesNotContain("   at ", run.Err); // never a stack trace
        return run;
    }

    private static string[] L(params string[] nevras) => nevras.Select(n => n + ".rpm").Order(StringComparer.Ordinal).ToArray();

    private static readonly string[] Base64 = ["dummy-basesystem-10.0-6.noarch", "dummy-filesystem-4.2.37-6.x86_64",
        "dummy-glibc-2.14-5.x86_64", "dummy-glibc-common-2.14-5.x86_64"];
    private static readonly string[] BaseSrc = ["dummy-basesystem-10.0-6.src", "dummy-filesystem-4.2.37-6.src", "dummy-glibc-2.14-5.src"];
    private static readonly string[] GlibcDebug64 = ["dummy-glibc-debuginfo-2.14-5.x86_64", "dummy-glibc-debuginfo-common-2.14-5.x86_64"];
    private static readonly string[] GlibcDebug32 = ["dummy-glibc-debuginfo-2.14-5.i686", "dummy-glibc-debuginfo-common-2.14-5.i686"];

    // ---- the same repository as RPM files and as repodata ----

    [Theory]
    [InlineData("dummy-bash")]
    [InlineData("dummy-lvm2")]
    public void PungiDummyRpmFiles_GiveTheSameResultAsItsRepodata(string package)
    {
        // repos/repo is createrepo's metadata over the same packages as rpms/ (RPM headers read natively here).
        var fromRpms = Gather("--arch", "x86_64", "--multilib", "devel", "--repo", TestPaths.PungiDummyRpms, package);
        var fromRepodata = Gather("--arch", "x86_64", "--multilib", "devel", "--repo", Repo, package);
        Assert.Equal(0, fromRpms.Code);
        Assert.NotEmpty(fromRpms.Files("RPM"));
        Assert.Equal(fromRepodata.Files("RPM"), fromRpms.Files("RPM"));
        Assert.Equal(fromRepodata.Files("SRPM"), fromRpms.Files("SRPM"));
        Assert.Equal(fromRepodata.Files("DEBUGINFO"), fromRpms.Files("DEBUGINFO"));
    }

    // ---- depsolving over repodata ----

    [Fact]
    public void Bash_pulls_its_dependencies_from_repodata_as_upstream_test_bash()
    {
        var r = Gather("--arch", "x86_64", "--repo", Repo, "dummy-bash");
        Assert.Equal(0, r.Code);
        Assert.Equal(L([.. Base64, "dummy-bash-4.2.37-6.x86_64"]), r.Files("RPM"));
        Assert.Equal(L([.. BaseSrc, "dummy-bash-4.2.37-6.src"]), r.Files("SRPM"));
        Assert.Equal(L([.. GlibcDebug64, "dummy-bash-debuginfo-4.2.37-6.x86_64", "dummy-bash-debugsource-4.2.37-6.x86_64"]), r.Files("DEBUGINFO"));
        // pungi-gather's flags: only the input is flagged input, requirements carry no flag.
        Assert.Contains(("input", "dummy-bash-4.2.37-6.x86_64.rpm"), r.Lines("RPM"));
        Assert.Contains(("", "dummy-glibc-2.14-5.x86_64.rpm"), r.Lines("RPM"));
    }

    [Fact]
    public void Comps_group_is_expanded_as_pungi_gather_does_for_at_group_optional()
    {
        // dummy-comps.xml: core = dummy-bash (mandatory); the same result as test_bash.
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--comps", DummyComps, "--group", "core");
        Assert.Equal(0, r.Code);
        Assert.Equal(L([.. Base64, "dummy-bash-4.2.37-6.x86_64"]), r.Files("RPM"));
    }

    [Fact]
    public void Conditional_comps_package_is_pulled_when_its_requirement_is_in()
    {
        // basic-desktop: dummy-imsettings-gnome conditional on dummy-imsettings. The conditional step runs before
        // binary deps, so gnome is in when dummy-imsettings' "dummy-imsettings-desktop-module = 1.2.9-1" is resolved,
        // and best_package prefers a provider already in the result over the shorter-named dummy-imsettings-qt.
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--comps", DummyComps, "--group", "basic-desktop", "dummy-imsettings");
        Assert.Equal(L("dummy-imsettings-1.2.9-1.x86_64", "dummy-imsettings-gnome-1.2.9-1.x86_64"), r.Files("RPM"));
        Assert.Contains(("conditional,input", "dummy-imsettings-1.2.9-1.x86_64.rpm"), r.Lines("RPM"));

        // Without the group the shortest-named provider wins (best_package: arch, then name length).
        var plain = Gather("--arch", "x86_64", "--repo", Repo, "dummy-imsettings");
        Assert.Equal(L("dummy-imsettings-1.2.9-1.x86_64", "dummy-imsettings-qt-1.2.9-1.x86_64"), plain.Files("RPM"));
    }

    [Fact]
    public void Excludes_after_double_dash_as_upstream_test_bash_exclude_debuginfo()
    {
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--", "dummy-bash", "-dummy-bash-debuginfo", "-dummy-bash-debugsource");
        Assert.Equal(0, r.Code);
        Assert.Equal(L([.. Base64, "dummy-bash-4.2.37-6.x86_64"]), r.Files("RPM"));
        Assert.Equal(L(GlibcDebug64), r.Files("DEBUGINFO"));
    }

    [Fact]
    public void Multilib_methods_devel_runtime_as_upstream_test_multilib_method_devel_runtime()
    {
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--multilib", "devel", "--multilib", "runtime", "dummy-lvm2-devel");
        Assert.Equal(0, r.Code);
        Assert.Equal(L([.. Base64, "dummy-glibc-2.14-5.i686", "dummy-lvm2-2.02.84-4.x86_64", "dummy-lvm2-devel-2.02.84-4.i686",
            "dummy-lvm2-devel-2.02.84-4.x86_64", "dummy-lvm2-libs-2.02.84-4.x86_64"]), r.Files("RPM"));
        Assert.Equal(L([.. BaseSrc, "dummy-lvm2-2.02.84-4.src"]), r.Files("SRPM"));
        Assert.Equal(L([.. GlibcDebug64, .. GlibcDebug32, "dummy-lvm2-debuginfo-2.02.84-4.x86_64"]), r.Files("DEBUGINFO"));
        Assert.Contains(("multilib", "dummy-lvm2-devel-2.02.84-4.i686.rpm"), r.Lines("RPM"));
    }

    [Fact]
    public void Multilib_blacklist_removes_multilib_packages_as_upstream_test_wildcard_with_multilib_blacklist()
    {
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--multilib-blacklist", "dummy-glibc*", "dummy-glibc*");
        Assert.Equal(L(Base64), r.Files("RPM"));
        Assert.Equal(L(BaseSrc), r.Files("SRPM"));
    }

    [Fact]
    public void Multilib_plus_suffix_asks_for_the_multilib_arch_only_as_upstream_test_bash_multilib()
    {
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--fulltree", "dummy-bash.+");
        Assert.Equal(L("dummy-basesystem-10.0-6.noarch", "dummy-bash-4.2.37-6.i686", "dummy-bash-doc-4.2.37-6.noarch",
            "dummy-filesystem-4.2.37-6.x86_64", "dummy-glibc-2.14-5.i686", "dummy-glibc-2.14-5.x86_64",
            "dummy-glibc-common-2.14-5.x86_64", "dummy-nscd-2.14-5.x86_64"), r.Files("RPM"));
    }

    [Fact]
    public void Lookaside_packages_are_used_but_left_out_as_upstream_test_firefox_selfhosting_with_krb5_lookaside()
    {
        string[] firefox = ["Dummy-firefox-16.0.1-1.x86_64", "Dummy-xulrunner-16.0.1-1.x86_64"];
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--lookaside", Krb5Lookaside, "--selfhosting", "Dummy-firefox");
        Assert.Equal(0, r.Code);
        Assert.Equal(L([.. Base64, .. firefox]), r.Files("RPM"));
        Assert.Equal(L([.. BaseSrc, "Dummy-firefox-16.0.1-1.src", "Dummy-xulrunner-16.0.1-1.src"]), r.Files("SRPM"));
        Assert.DoesNotContain(r.Out.Split('\n'), l => l.Contains("krb5", StringComparison.Ordinal));

        // Without the lookaside, selfhosting pulls krb5 and bash from the main repo (upstream test_firefox_selfhosting).
        var own = Gather("--arch", "x86_64", "--repo", Repo, "--selfhosting", "Dummy-firefox");
        Assert.Equal(L([.. Base64, .. firefox, "dummy-bash-4.2.37-6.x86_64", "dummy-krb5-1.10-5.x86_64",
            "dummy-krb5-devel-1.10-5.x86_64", "dummy-krb5-libs-1.10-5.x86_64"]), own.Files("RPM"));

        // --why on a lookaside package explains it and says it is left out.
        var why = Gather("--arch", "x86_64", "--repo", Repo, "--lookaside", Krb5Lookaside, "--selfhosting", "--why", "dummy-krb5-devel", "Dummy-firefox");
        Assert.Contains("lookaside", why.Out, StringComparison.Ordinal);
        Assert.Contains("build requirement", why.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Greedy_all_takes_every_arch_of_an_input_as_upstream_test_bash_greedy()
    {
        // Greedy all: the input brings all its candidates (x86_64 and i686) and each requirement all providers.
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--greedy", "all", "dummy-bash");
        Assert.Contains("dummy-bash-4.2.37-6.i686.rpm", r.Files("RPM"));
        Assert.Contains("dummy-bash-4.2.37-6.x86_64.rpm", r.Files("RPM"));
        Assert.Contains("dummy-glibc-2.14-5.i686.rpm", r.Files("RPM"));
    }

    [Fact]
    public void Fulltree_exclude_keeps_a_source_whole_package_set_out_as_upstream_test_kernel_fulltree_excludes()
    {
        var full = Gather("--arch", "x86_64", "--repo", Repo, "--fulltree", "dummy-kernel");
        var excluded = Gather("--arch", "x86_64", "--repo", Repo, "--fulltree", "--fulltree-exclude", "dummy-kernel", "dummy-kernel");
        Assert.Contains("dummy-kernel-doc-3.1.0-1.noarch.rpm", full.Files("RPM"));
        Assert.Equal(L("dummy-kernel-3.1.0-1.x86_64"), excluded.Files("RPM"));
        Assert.Contains(("fulltree-exclude,input", "dummy-kernel-3.1.0-1.x86_64.rpm"), excluded.Lines("RPM"));
    }

    [Fact]
    public void Prepopulate_and_exclude_source_and_debug()
    {
        // dummy-filesystem.x86_64 has no requirements: prepopulated alone it is the whole binary result.
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--prepopulate", "dummy-filesystem.x86_64", "--exclude-source", "--exclude-debug");
        Assert.Equal(0, r.Code);
        Assert.Equal([("prepopulate", "dummy-filesystem-4.2.37-6.x86_64.rpm")], r.Lines("RPM"));
        Assert.Empty(r.Lines("SRPM"));
        Assert.Empty(r.Lines("DEBUGINFO"));
    }

    [Fact]
    public void Nosrc_package_file_name_comes_from_the_location_as_upstream_test_AdobeReader_enu_nosrc()
    {
        var r = Gather("--arch", "x86_64", "--repo", Repo, "dummy-AdobeReader_enu");
        Assert.Contains("dummy-AdobeReader_enu-9.5.1-1.nosrc.rpm", r.Files("SRPM"));
        Assert.Contains("dummy-AdobeReader_enu-9.5.1-1.i486.rpm", r.Files("RPM"));
    }

    [Fact]
    public void Unresolved_dependency_is_a_warning_and_with_check_deps_exit_1()
    {
        // The dummy-selinux-policy-* packages require dummy-selinux-policy, which was never built (DESIGN §8).
        var r = Gather("--arch", "x86_64", "--repo", Repo, "dummy-selinux-policy-targeted");
        Assert.Equal(0, r.Code);
        Assert.Contains("Unresolvable dependency dummy-selinux-policy = 3.10.0-121 in dummy-selinux-policy-targeted.noarch", r.Err, StringComparison.Ordinal);
        var strict = Gather("--arch", "x86_64", "--repo", Repo, "--check-deps", "dummy-selinux-policy-targeted");
        Assert.Equal(1, strict.Code);
    }

    // ---- a directory of RPM files ----

    [Fact]
    public void Rpm_directory_is_read_from_headers_sample_bash_by_hand()
    {
        // By hand (rpm -qp --requires): sample-bash needs sample-glibc(x86-64) >= 2.36 → sample-glibc.x86_64, which
        // needs sample-filesystem and sample-glibc-common = 2.38-7; glibc-common needs sample-setup, setup needs
        // sample-filesystem >= 3.18. No debuginfo is built for these; SRPMs are src/*.src.rpm of each.
        var r = Gather("--arch", "x86_64", "--repo", SampleRpms, "sample-bash");
        Assert.Equal(0, r.Code);
        Assert.Equal(L("sample-bash-5.2.15-5.x86_64", "sample-filesystem-3.18-2.noarch", "sample-glibc-2.38-7.x86_64",
            "sample-glibc-common-2.38-7.x86_64", "sample-setup-2.14.4-1.noarch"), r.Files("RPM"));
        Assert.Equal(L("sample-bash-5.2.15-5.src", "sample-filesystem-3.18-2.src", "sample-glibc-2.38-7.src", "sample-setup-2.14.4-1.src"), r.Files("SRPM"));
        Assert.Empty(r.Files("DEBUGINFO"));
    }

    // ---- nodeps ----

    [Fact]
    public void Nodeps_name_without_arch_pulls_every_arch_of_the_arch_package_set_spec_3_3_1()
    {
        // Nodeps: no latest-version filter, no dependencies; a name without arch matches x86_64 and i686 (the
        // package set for x86_64 with multilib), never ppc or s390; SRPMs by sourcerpm; debuginfo of the SRPMs whose
        // arch is compatible with a binary seen (x86_64, i686).
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--nodeps", "dummy-bash");
        Assert.Equal(0, r.Code);
        Assert.Equal(L("dummy-bash-4.2.37-5.i686", "dummy-bash-4.2.37-5.x86_64", "dummy-bash-4.2.37-6.i686", "dummy-bash-4.2.37-6.x86_64"), r.Files("RPM"));
        Assert.Equal(L("dummy-bash-4.2.37-5.src", "dummy-bash-4.2.37-6.src"), r.Files("SRPM"));
        Assert.Equal(L("dummy-bash-debuginfo-4.2.37-5.i686", "dummy-bash-debuginfo-4.2.37-5.x86_64", "dummy-bash-debuginfo-4.2.37-6.i686",
            "dummy-bash-debuginfo-4.2.37-6.x86_64", "dummy-bash-debugsource-4.2.37-6.i686", "dummy-bash-debugsource-4.2.37-6.x86_64"), r.Files("DEBUGINFO"));
    }

    [Fact]
    public void Nodeps_group_members_ask_for_the_tree_arch_only_spec_3_3_1()
    {
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--nodeps", "--comps", DummyComps, "--group", "core");
        Assert.Equal(L("dummy-bash-4.2.37-5.x86_64", "dummy-bash-4.2.37-6.x86_64"), r.Files("RPM"));
        Assert.DoesNotContain(r.Files("DEBUGINFO"), f => f.Contains("i686", StringComparison.Ordinal));
    }

    // ---- --json ----

    [Fact]
    public void Json_has_the_three_lists_always_and_reasons_by_nevra()
    {
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--json", "--exclude-source", "--exclude-debug", "dummy-bash");
        Assert.Equal(0, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal(["rpm", "srpm", "debuginfo", "reasons"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(0, root.GetProperty("srpm").GetArrayLength());
        Assert.Equal(0, root.GetProperty("debuginfo").GetArrayLength());
        Assert.Equal(L([.. Base64, "dummy-bash-4.2.37-6.x86_64"]),
            root.GetProperty("rpm").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray());
        var reasons = root.GetProperty("reasons");
        Assert.StartsWith("input", reasons.GetProperty("dummy-bash-4.2.37-6.x86_64").GetString(), StringComparison.Ordinal);
        Assert.Equal("requirement 'dummy-glibc(x86-64)' of dummy-bash-4.2.37-6.x86_64", reasons.GetProperty("dummy-glibc-2.14-5.x86_64").GetString());
    }

    [Fact]
    public void Json_of_lookaside_only_result_has_empty_lists()
    {
        // dummy-krb5-libs exists in the lookaside repo with the same NVRA: the lookaside copy wins and is left out.
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--lookaside", Krb5Lookaside, "--json", "dummy-krb5-libs");
        using var doc = JsonDocument.Parse(r.Out);
        Assert.DoesNotContain(doc.RootElement.GetProperty("rpm").EnumerateArray(), e => e.GetString()!.StartsWith("dummy-krb5", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("srpm").ValueKind);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("debuginfo").ValueKind);
    }

    // ---- --why ----

    [Fact]
    public void Why_explains_a_plain_requirement_chain()
    {
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--comps", DummyComps, "--group", "core", "--why", "dummy-glibc-common");
        Assert.Equal(0, r.Code);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        Assert.Equal("dummy-glibc-common-2.14-5.x86_64 is in the result (rpm):", lines[0]);
        Assert.Equal("comps group 'core', mandatory → dummy-bash-4.2.37-6.x86_64 → dummy-glibc-2.14-5.x86_64 → dummy-glibc-common-2.14-5.x86_64", lines[1]);
        Assert.Equal("dummy-glibc-2.14-5.x86_64: requirement 'dummy-glibc(x86-64)' of dummy-bash-4.2.37-6.x86_64", lines[3]);
        Assert.Equal("dummy-glibc-common-2.14-5.x86_64: requirement 'dummy-glibc-common = 2.14-5' of dummy-glibc-2.14-5.x86_64", lines[4]);
    }

    [Fact]
    public void Why_explains_a_multilib_package()
    {
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--multilib", "devel,runtime", "--why", "dummy-lvm2-devel.i686", "dummy-lvm2-devel");
        Assert.Contains("dummy-lvm2-devel-2.02.84-4.i686: multilib:devel of dummy-lvm2-devel-2.02.84-4.x86_64", r.Out, StringComparison.Ordinal);
        // Only the i686 package is asked about, not the x86_64 input of the same name.
        Assert.Single(r.Out.Split('\n'), l => l.EndsWith("is in the result (rpm):", StringComparison.Ordinal));
    }

    [Fact]
    public void Why_explains_a_fulltree_package_as_upstream_test_firefox_fulltree()
    {
        // test_firefox_fulltree adds dummy-nscd: a sibling of dummy-glibc (same SRPM), which xulrunner requires.
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--fulltree", "--why", "dummy-nscd", "Dummy-firefox");
        Assert.Contains("PACKAGE 'Dummy-firefox' → Dummy-firefox-16.0.1-1.x86_64 → Dummy-xulrunner-16.0.1-1.x86_64 → dummy-glibc-2.14-5.x86_64 → dummy-nscd-2.14-5.x86_64", r.Out, StringComparison.Ordinal);
        Assert.Contains("dummy-nscd-2.14-5.x86_64: fulltree: built from the same source as dummy-glibc-2.14-5.x86_64", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Why_says_when_a_package_is_not_in_the_result()
    {
        var r = Gather("--arch", "x86_64", "--repo", Repo, "--why", "dummy-nscd", "dummy-bash");
        Assert.Equal(0, r.Code);
        Assert.Contains("dummy-nscd is not in the result", r.Out, StringComparison.Ordinal);
        Assert.Contains("dummy-nscd-2.14-5.x86_64", r.Out, StringComparison.Ordinal); // it is in the repository
        var none = Gather("--arch", "x86_64", "--repo", Repo, "--why", "no-such-package", "dummy-bash");
        Assert.Contains("no-such-package is not in the result (no package in the repositories matches it)", none.Out, StringComparison.Ordinal);
    }

    // ---- usage and input errors ----

    [Theory]
    [InlineData(new string[0], "--arch is required")]
    [InlineData(new[] { "--arch", "x86_64", "dummy-bash" }, "--repo DIR is required")]
    [InlineData(new[] { "--arch", "x86_64", "--repo", "R", "--frobnicate", "dummy-bash" }, "unknown option --frobnicate")]
    [InlineData(new[] { "--arch", "x86_64", "--repo", "R", "-dummy-bash" }, "put it after '--'")]
    [InlineData(new[] { "--arch", "x86_64", "--repo", "R", "--group", "core" }, "--group needs --comps")]
    [InlineData(new[] { "--arch", "x86_64", "--repo", "R", "--greedy", "some", "x" }, "use none, all or build")]
    [InlineData(new[] { "--arch", "x86_64", "--repo", "R", "--nodeps", "--fulltree", "x" }, "--nodeps runs the nodeps gather method")]
    [InlineData(new[] { "--arch", "x86_64", "--repo", "R" }, "nothing to gather")]
    [InlineData(new[] { "--arch", "x86_64", "--repo" }, "option --repo needs a value")]
    [InlineData(new[] { "--arch", "x86_64", "--repo", "R", "--prepopulate", "bash", "x" }, "is not NAME.ARCH")]
    public void Usage_errors_exit_2_with_a_coded_message(string[] args, string message)
    {
        var r = Gather(args);
        Assert.Equal(2, r.Code);
        Assert.Contains("PUNGI3102", r.Err, StringComparison.Ordinal);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Help_prints_usage_and_exits_0()
    {
        var r = Gather("--help");
        Assert.Equal(0, r.Code);
        Assert.Contains("usage: pungi-build gather", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_command_and_no_command_exit_2()
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        Assert.Equal(2, Program.Run(["frob"], o, e));
        Assert.Contains("unknown command 'frob'", e.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, Program.Run([], o, e));
    }

    [Fact]
    public void Bad_arch_group_and_multilib_method_are_coded_errors()
    {
        Assert.Contains("PUNGI3001", Gather("--arch", "vax", "--repo", Repo, "dummy-bash").Err, StringComparison.Ordinal);
        var g = Gather("--arch", "x86_64", "--repo", Repo, "--comps", DummyComps, "--group", "no-such-group");
        Assert.Equal(2, g.Code);
        Assert.Contains("PUNGI3103", g.Err, StringComparison.Ordinal);
        // kernel is a yum-backend method only (spec §3.6).
        var m = Gather("--arch", "x86_64", "--repo", Repo, "--multilib", "kernel", "dummy-bash");
        Assert.Equal(2, m.Code);
        Assert.Contains("PUNGI3006", m.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_repository_is_a_coded_error_naming_the_path()
    {
        string missing = Path.Combine(Path.GetTempPath(), "pungi-no-such-repo-" + Guid.NewGuid().ToString("N"));
        var r = Gather("--arch", "x86_64", "--repo", missing, "dummy-bash");
        Assert.Equal(2, r.Code);
        Assert.Contains("PUNGI3101", r.Err, StringComparison.Ordinal);
        Assert.Contains(missing, r.Err, StringComparison.Ordinal);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Corrupt_repodata_and_empty_directory_are_coded_errors()
    {
        var dir = Directory.CreateTempSubdirectory("pungi-cli-gather-");
        try
        {
            var empty = Gather("--arch", "x86_64", "--repo", dir.FullName, "dummy-bash");
            Assert.Equal(2, empty.Code);
            Assert.Contains("PUNGI3101", empty.Err, StringComparison.Ordinal);
            Assert.Contains("neither repodata/ nor RPM files", empty.Err, StringComparison.Ordinal);

            Directory.CreateDirectory(Path.Combine(dir.FullName, "repodata"));
            File.WriteAllText(Path.Combine(dir.FullName, "repodata", "repomd.xml"), "<repomd><data type=\"primary\">");
            var corrupt = Gather("--arch", "x86_64", "--repo", dir.FullName, "dummy-bash");
            Assert.Equal(2, corrupt.Code);
            Assert.Matches("PUNGI400[0-9]", corrupt.Err);
            Assert.Contains(dir.FullName, corrupt.Err, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(dir.FullName, "broken.rpm"), "not an rpm");
            Directory.Delete(Path.Combine(dir.FullName, "repodata"), recursive: true);
            var badRpm = Gather("--arch", "x86_64", "--repo", dir.FullName, "dummy-bash");
            Assert.Equal(2, badRpm.Code);
            Assert.Matches("PUNGI200[0-9]", badRpm.Err);
            Assert.Contains("broken.rpm", badRpm.Err, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
