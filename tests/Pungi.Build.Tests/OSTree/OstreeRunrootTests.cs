using System.Text.Json.Nodes;
using Pungi.Build.Diagnostics;
using Pungi.Build.OSTree;

namespace Pungi.Build.Tests.OSTree;

/// <summary>
/// The OSTree phase through a runroot (spec §2.7, upstream <c>OSTreeThread._run_ostree_cmd</c>, <c>get_repo_dicts</c>,
/// <c>get_commitid_from_commitid_file</c>): expected values are upstream's rules worked out by hand, the JSON text is
/// what Python's <c>json.dump(indent=4)</c> writes for the same dict.
/// </summary>
public sealed class OstreeRunrootTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ostree-runroot-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string rel) => Path.Combine(_dir, rel);

    [Fact]
    public void RunOstreeCmd_EveryOption_InUpstreamsOrderedDictOrder()
    {
        // _run_ostree_cmd: OrderedDict(repo, log-dir, treefile, version, extra-config, update-summary, ostree-ref,
        // force-new-commit, unified-core); True -> "--key", truthy -> "--key=value".
        var args = OstreeRunroot.Arguments(new OstreeTreeArgs
        {
            OstreeRepo = "/mnt/koji/compose/atomic/27/",
            LogDir = "/c/logs/x86_64/Everything/ostree-1",
            Treefile = "/c/work/ostree-1/config_repo/fedora-atomic-docker-host.json",
            Version = "27.20261127.n.0",
            ExtraConfig = "/c/work/ostree-1/extra_config.json",
            UpdateSummary = true,
            OstreeRef = "fedora/27/${basearch}/docker-host",
            ForceNewCommit = true,
            UnifiedCore = true,
        });
        Assert.Equal(
        [
            "pungi-make-ostree", "tree",
            "--repo=/mnt/koji/compose/atomic/27/",
            "--log-dir=/c/logs/x86_64/Everything/ostree-1",
            "--treefile=/c/work/ostree-1/config_repo/fedora-atomic-docker-host.json",
            "--version=27.20261127.n.0",
            "--extra-config=/c/work/ostree-1/extra_config.json",
            "--update-summary",
            "--ostree-ref=fedora/27/${basearch}/docker-host",
            "--force-new-commit",
            "--unified-core",
        ], args);
    }

    [Fact]
    public void RunOstreeCmd_FalsyValuesLeftOut()
    {
        // version None, update_summary/force_new_commit/unified_core False, ostree_ref None: no option at all.
        var args = OstreeRunroot.Arguments(new OstreeTreeArgs { OstreeRepo = "/r", LogDir = "/l", Treefile = "/t.json", ExtraConfig = "/e.json" });
        Assert.Equal(["pungi-make-ostree", "tree", "--repo=/r", "--log-dir=/l", "--treefile=/t.json", "--extra-config=/e.json"], args);
    }

    [Fact]
    public void RunrootRequest_PackagesMountsLogAndWeight_AsRunrootRun()
    {
        // runroot.run(cmd, log_file=<logdir>/runroot.log, packages=["pungi", "ostree", "rpm-ostree"],
        // mounts=[compose.topdir, ostree_repo], new_chroot=True, weight=runroot_weights["ostree"]); the list joined with
        // shlex.quote ('$' and '{' are not shell-safe, so --ostree-ref is quoted).
        var request = OstreeRunroot.Request(new OstreeTreeArgs
        {
            OstreeRepo = "/mnt/ostree", LogDir = "/c/logs/x86_64/Server/ostree-2", Treefile = "/c/work/ostree-2/config_repo/t.json",
            ExtraConfig = "/c/work/ostree-2/extra_config.json", OstreeRef = "sample/${basearch}",
        }, "x86_64", "/c", 2.5);
        Assert.Equal("pungi-make-ostree tree --repo=/mnt/ostree --log-dir=/c/logs/x86_64/Server/ostree-2 --treefile=/c/work/ostree-2/config_repo/t.json "
            + "--extra-config=/c/work/ostree-2/extra_config.json '--ostree-ref=sample/${basearch}'", request.Command);
        Assert.Equal(["pungi", "ostree", "rpm-ostree"], request.Packages);
        Assert.Equal(["/c", "/mnt/ostree"], request.Mounts);
        Assert.Equal("/c/logs/x86_64/Server/ostree-2/runroot.log", request.LogFile);
        Assert.Equal(2.5, request.Weight);
        Assert.Empty(request.ChownPaths);
        Assert.Equal("x86_64", request.Arch);
    }

    [Fact]
    public void GetRepoDicts_UrlsNamedByTranslateUrlToRepoId_OthersDropped()
    {
        // _translate_url_to_repo_id: chars outside [A-Za-z0-9-_.:] -> '_'; get_repo_dict: no "://" -> {} -> dropped.
        var dropped = new List<string>();
        var dicts = OstreeRunroot.RepoDicts(
            ["Server", "http://example.com/work/$basearch/repo/f41", "/local/work/x86_64/repo/f41",
             "https://kojipkgs.example.org/compose/Fedora-27/work/$basearch/comps_repo_Everything"], dropped.Add);
        Assert.Equal(["Server", "/local/work/x86_64/repo/f41"], dropped);
        Assert.Equal(
        [
            ("http:__example.com_work__basearch_repo_f41", "http://example.com/work/$basearch/repo/f41"),
            ("https:__kojipkgs.example.org_compose_Fedora-27_work__basearch_comps_repo_Everything", "https://kojipkgs.example.org/compose/Fedora-27/work/$basearch/comps_repo_Everything"),
        ], dicts.Select(d => ((string)d["name"]!, (string)d["baseurl"]!)));
    }

    [Fact]
    public void ExtraConfig_IsTheConfigMinusPoppedKeys_WithRepoDicts_AsJsonDumpIndent4()
    {
        // new_config = copy(config); update({"repo": repos}); pop ostree_repo, treefile, config_url, config_branch,
        // failable, version, update_summary; json.dump(new_config, f, indent=4). Expected text: Python's output.
        var config = new List<KeyValuePair<string, JsonNode?>>
        {
            new("treefile", "fedora-atomic-docker-host.json"),
            new("config_url", "https://git.example.com/fedora-atomic.git"),
            new("repo", new JsonArray("Server", "http://example.com/work/$basearch/repo/f41")),
            new("keep_original_sources", true),
            new("config_branch", "f27"),
            new("arches", new JsonArray("x86_64")),
            new("failable", new JsonArray("x86_64")),
            new("update_summary", true),
            new("force_new_commit", true),
            new("unified_core", false),
            new("version", "!OSTREE_VERSION_FROM_LABEL_DATE_TYPE_RESPIN"),
            new("tag_ref", false),
            new("ostree_ref", "fedora/27/${basearch}/docker-host"),
            new("ostree_repo", "/mnt/koji/compose/atomic/27/"),
        };
        var repos = new List<JsonObject> { new() { ["name"] = "http:__example.com_work__basearch_repo_f41", ["baseurl"] = "http://example.com/work/$basearch/repo/f41?a=1&b=2" } };
        Assert.Equal("""
            {
                "repo": [
                    {
                        "name": "http:__example.com_work__basearch_repo_f41",
                        "baseurl": "http://example.com/work/$basearch/repo/f41?a=1&b=2"
                    }
                ],
                "keep_original_sources": true,
                "arches": [
                    "x86_64"
                ],
                "force_new_commit": true,
                "unified_core": false,
                "tag_ref": false,
                "ostree_ref": "fedora/27/${basearch}/docker-host"
            }
            """, OstreeRunroot.ExtraConfig(config, repos).ReplaceLineEndings("\n"));
    }

    private const string CommitA = "3c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";
    private const string CommitB = "aa1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";

    [Fact]
    public void CommitId_WithStamp_IsCommitidLogWithoutNewlines_RecordedAsTheLocalBackend()
    {
        // get_commitid_from_commitid_file: the stamp exists -> f.read().replace("\n", "").
        Directory.CreateDirectory(P("logs"));
        File.WriteAllText(P("logs/commitid.log"), CommitA + "\n");
        File.WriteAllText(P("logs/commitid.log.stamp"), "");
        var (commit, isNew) = OstreeRunroot.ReadCommitId(P("logs"), P("repo"), "sample/x86_64", P("logs/runroot.log"));
        Assert.Equal((CommitA, true), (commit, isNew));
        // The local backend's record: the checksum alone, no newline (rpm-ostree's --write-commitid-to).
        Assert.Equal(CommitA, File.ReadAllText(P("logs/commitid.log")));
    }

    [Fact]
    public void CommitId_WithoutStamp_NoNewCommit_TheRefsCurrentCommitIsRecorded()
    {
        // No stamp: rpm-ostree made no new commit (upstream: None); the ref pungi-make-ostree wrote still stands.
        Directory.CreateDirectory(P("logs"));
        Directory.CreateDirectory(P("repo/refs/heads/sample"));
        File.WriteAllText(P("repo/refs/heads/sample/x86_64"), CommitB + "\n");
        var (commit, isNew) = OstreeRunroot.ReadCommitId(P("logs"), P("repo"), "sample/x86_64", P("logs/runroot.log"));
        Assert.Equal((CommitB, false), (commit, isNew));
        Assert.Equal(CommitB, File.ReadAllText(P("logs/commitid.log")));
    }

    [Fact]
    public void CommitId_Missing_IsPungi5220QuotingTheRunrootLog()
    {
        Directory.CreateDirectory(P("logs"));
        File.WriteAllText(P("logs/runroot.log"), "+ pungi-make-ostree tree\nNo apparent changes\n");
        // stamp without commitid.log
        File.WriteAllText(P("logs/commitid.log.stamp"), "");
        var e = Assert.Throws<PungiException>(() => OstreeRunroot.ReadCommitId(P("logs"), P("repo"), "r", P("logs/runroot.log")));
        Assert.Equal(ErrorCodes.OstreeRunrootNoCommitId, e.Code);
        Assert.Contains("No apparent changes", e.Message);
        // neither stamp nor ref
        OstreeRunroot.ClearCommitId(P("logs"));
        Assert.False(File.Exists(P("logs/commitid.log.stamp")));
        Assert.Equal(ErrorCodes.OstreeRunrootNoCommitId,
            Assert.Throws<PungiException>(() => OstreeRunroot.ReadCommitId(P("logs"), P("repo"), "r", P("logs/runroot.log"))).Code);
        // something that is no checksum
        File.WriteAllText(P("logs/commitid.log"), "error: oops");
        File.WriteAllText(P("logs/commitid.log.stamp"), "");
        Assert.Equal(ErrorCodes.OstreeRunrootNoCommitId,
            Assert.Throws<PungiException>(() => OstreeRunroot.ReadCommitId(P("logs"), P("repo"), "r", P("logs/runroot.log"))).Code);
    }

    [Fact]
    public void LocalTreefile_CopiedIntoConfigRepo_WithItsIncludes_OutsideIncludeIsPungi5221()
    {
        Directory.CreateDirectory(P("proj/tree/common"));
        File.WriteAllText(P("proj/tree/common/base.json"), """{"packages": ["sample-bash"]}""");
        File.WriteAllText(P("proj/tree/top.json"), """{"include": "common/base.json", "ref": "sample/${basearch}"}""");
        var copied = OstreeRunroot.CopyTreefile(P("proj/tree/top.json"), P("work/ostree-1/config_repo"));
        Assert.Equal(P("work/ostree-1/config_repo/top.json"), copied);
        Assert.True(File.Exists(P("work/ostree-1/config_repo/common/base.json")));
        Assert.Equal("sample/x86_64", Treefile.TopLevelRef(copied, "x86_64"));

        File.WriteAllText(P("proj/outside.json"), "{}");
        File.WriteAllText(P("proj/tree/bad.json"), """{"include": "../outside.json"}""");
        Assert.Equal(ErrorCodes.OstreeRunrootTreefileOutside,
            Assert.Throws<PungiException>(() => OstreeRunroot.CopyTreefile(P("proj/tree/bad.json"), P("work/ostree-2/config_repo"))).Code);
    }
}
