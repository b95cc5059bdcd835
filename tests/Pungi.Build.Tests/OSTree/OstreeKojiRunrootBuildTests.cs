using System.Text;
using System.Text.Json.Nodes;
using Pungi.Build.Koji;
using Pungi.Build.Tests.Build;
using Pungi.Build.Tests.Koji;

namespace Pungi.Build.Tests.OSTree;

/// <summary>
/// The OSTree phase with <c>RunrootMethod=koji</c> (spec §2.7, §8.3): the sample composed by a spawned build up to
/// OSTree against the simulated hub (HTTPS, SSL login). The simulator's runroot handler plays pungi-make-ostree: it
/// checks the command and writes what a real run writes (rpm-ostree's commitid.log and its
/// <c>--touch-if-changed</c> stamp in the log dir, the ref under <c>refs/heads</c>).
/// </summary>
[Collection("spawned builds")]
public sealed class OstreeKojiRunrootBuildTests
{
    private const string Wrap = "rm -f /var/lib/rpm/__db*; rm -rf /var/cache/yum/*; set -x; ";
    private const string Commit = "5b1f0e3a9c7d2e4f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7";

    /// <summary>A pungi-make-ostree run as the runroot task would do it on the mounted compose and repository.</summary>
    private static void FakePungiMakeOstree(SimTask t)
    {
        if (t.Method != "runroot") return;
        var command = (string)t.Request[2]!;
        var kw = (Dictionary<string, object?>)t.Request[3]!;
        var argv = command[Wrap.Length..].Split(' ');
        string Opt(string name) => argv.Single(a => a.StartsWith($"--{name}=", StringComparison.Ordinal))[(name.Length + 3)..];
        var log = new StringBuilder($"+ {command[Wrap.Length..]}\n");
        switch (kw["channel"] as string)
        {
            case "fail":
                t.FinalState = KojiTaskState.Failed;
                t.FaultString = "BuildError: error running command";
                t.Outputs["runroot.log"] = Encoding.UTF8.GetBytes(log + "error: Could not depsolve transaction; 1 problem detected:\n Problem: package sample-bash requires sample-glibc\n");
                return;
            case "nothing":
                // exit 0 without rpm-ostree having written anything (e.g. the log dir was not the mounted one)
                t.Outputs["runroot.log"] = Encoding.UTF8.GetBytes(log + "done\n");
                return;
        }
        if (argv[0] != "pungi-make-ostree" || argv[1] != "tree" || !File.Exists(Opt("treefile")) || !File.Exists(Opt("extra-config")))
        {
            t.FinalState = KojiTaskState.Failed;
            t.Outputs["runroot.log"] = Encoding.UTF8.GetBytes(log + "usage: pungi-make-ostree tree: bad arguments\n");
            return;
        }
        var logDir = Opt("log-dir");
        var reference = (string)JsonNode.Parse(File.ReadAllText(Opt("treefile")))!["ref"]!;
        reference = reference.Replace("${basearch}", t.Arch, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(logDir, "commitid.log"), Commit);
        File.WriteAllText(Path.Combine(logDir, "commitid.log.stamp"), "");
        var head = Path.Combine(Opt("repo"), "refs", "heads", reference);
        Directory.CreateDirectory(Path.GetDirectoryName(head)!);
        File.WriteAllText(head, Commit + "\n");
        t.Outputs["runroot.log"] = Encoding.UTF8.GetBytes(log + $"Ref: '{reference}', Commit ID: '{Commit}'\nUpdating ref\n");
    }

    [SkippableFact]
    public async Task OstreeUnit_IsOneKojiRunrootTask_CommitRecorded_FailuresCoded()
    {
        Interop.RequireTool("ostree"); // the empty repository is initialised locally before the task mounts it
        using var p = SampleCompose.Create();
        var (serverCert, caPem, clientPem) = KojiClientTests.MakePki(p.Dir);
        await using var hub = new KojiHubSimulator(serverCert) { TaskPlanner = FakePungiMakeOstree };
        var etc = Path.Combine(p.Dir, "etc");
        p.Write("etc/koji.conf.d/sim.conf", $"[sim]\nserver = {hub.HubUrl}\nauthtype = ssl\ncert = {clientPem}\nserverca = {caPem}\npoll_interval = 0.05\n");
        p.Write("sample-server.json", """{"ref": "sample/1/${basearch}/server", "packages": ["sample-bash"]}""");
        File.WriteAllText(p.ProjectPath, File.ReadAllText(p.ProjectPath).Replace(
            "<FilterPackage Include=\"sample-microcode\"",
            "<Ostree Include=\"sample-server.json\" Variant=\"^Server$\" OstreeRepo=\"ostree-repo\" Version=\"!OSTREE_VERSION_FROM_LABEL_DATE_TYPE_RESPIN\" Repo=\"Server;https://mirror.example.org/extra/$basearch/\" />\n"
            + "    <RunrootWeight Include=\"2.5\" Phase=\"ostree\" />\n"
            + "    <FilterPackage Include=\"sample-microcode\"", StringComparison.Ordinal));
        var top = SampleCompose.TopDir(p);
        var repo = Path.Combine(p.Dir, "ostree-repo");
        string[] Koji(params string[] more) => ["-t:OSTree", "-p:RunrootMethod=koji", "-p:RunrootTag=f41-build", "-p:KojiProfile=sim", $"-p:KojiConfigDir={etc}",
            $"-p:TranslatePaths={p.Dir}/bin=https://composes.example.org", .. more];

        var run = await Task.Run(() => p.Build(Koji()));
        Assert.True(run.ExitCode == 0, run.Describe());

        // One runroot task: runroot(tag, arch, command, channel=None, packages, mounts, weight, new_chroot=True), the
        // command upstream's _run_ostree_cmd list (version = image_version.image_release, no label; no flags set).
        var task = Assert.Single(hub.Tasks.Values);
        Assert.Equal("runroot", task.Method);
        Assert.Equal("f41-build", task.Request[0]);
        Assert.Equal("x86_64", task.Request[1]);
        var logDir = $"{top}/logs/x86_64/Server/ostree-1";
        Assert.Equal(Wrap + $"pungi-make-ostree tree --repo={repo} --log-dir={logDir} --treefile={top}/work/ostree-1/config_repo/sample-server.json "
            + $"--version=1.0.20261127.t.0 --extra-config={top}/work/ostree-1/extra_config.json", task.Request[2]);
        var kw = (Dictionary<string, object?>)task.Request[3]!;
        Assert.Equal(new List<object?> { "pungi", "ostree", "rpm-ostree" }, kw["packages"]);
        Assert.Equal(new List<object?> { top, repo }, kw["mounts"]);
        Assert.Equal(2.5, kw["weight"]);
        Assert.Equal(true, kw["new_chroot"]);
        Assert.Null(kw["channel"]);
        Assert.True(File.Exists(Path.Combine(top, "logs", "global", "koji-tasks", task.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        // Recorded as the local backend records it: commitid.log holds the checksum alone; the runroot log is kept.
        Assert.Equal(Commit, File.ReadAllText(Path.Combine(logDir, "commitid.log")));
        Assert.Contains("Updating ref", File.ReadAllText(Path.Combine(logDir, "runroot.log")));
        Assert.Equal("archive-z2", Interop.Run("ostree", "config", "--repo=" + repo, "get", "core.mode").Trim());

        // extra_config.json: the configured URL and the package set's repo translated ("repos": the repos source's
        // set); "Server" (a variant UID) dropped with upstream's deprecation warning; names by _translate_url_to_repo_id.
        // No comps_repo_Server: this compose's Init does not create one (README.md, OSTree).
        var extra = JsonNode.Parse(File.ReadAllText(Path.Combine(top, "work", "ostree-1", "extra_config.json")))!.AsObject();
        Assert.Equal(["repo"], extra.Select(kv => kv.Key));
        Assert.Equal(
        [
            ("https:__mirror.example.org_extra__basearch_", "https://mirror.example.org/extra/$basearch/"),
            ("https:__composes.example.org_SAMPLE-1.0-20261127.t.0_work__basearch_repo_repos", "https://composes.example.org/SAMPLE-1.0-20261127.t.0/work/$basearch/repo/repos"),
        ], extra["repo"]!.AsArray().Select(r => ((string)r!["name"]!, (string)r["baseurl"]!)));
        Assert.Contains("PUNGI5222", run.Output);
        Assert.Contains("ignored during 'OSTree' phase: Server", run.Output);

        // The task fails: PUNGI5156 quoting the runroot.log tail.
        var failed = await Task.Run(() => p.Build(Koji("-p:RunrootChannel=fail")));
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("PUNGI5156", failed.Output);
        Assert.Contains("Could not depsolve transaction", failed.Output);

        // The task succeeds but leaves no stamp, no commitid.log and no ref: PUNGI5220.
        File.Delete(Path.Combine(repo, "refs", "heads", "sample", "1", "x86_64", "server"));
        var nothing = await Task.Run(() => p.Build(Koji("-p:RunrootChannel=nothing")));
        Assert.NotEqual(0, nothing.ExitCode);
        Assert.Contains("PUNGI5220", nothing.Output);
        Assert.Contains("done", nothing.Output);
        Assert.False(File.Exists(Path.Combine(logDir, "commitid.log")));
    }
}
