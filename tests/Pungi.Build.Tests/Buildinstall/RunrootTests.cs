using System.Diagnostics;
using System.Text;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Pungi.Build.Runroot;
using Pungi.Build.Tests.Koji;
using Xunit;

namespace Pungi.Build.Tests.Buildinstall;

/// <summary>The runroot abstraction (spec §8.3, §8.4): local processes and Koji runroot tasks.</summary>
public sealed class RunrootTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-runroot-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Log => Path.Combine(_dir, "logs", "x86_64", "buildinstall-Server.x86_64.log");

    [Fact]
    public async Task Local_RunsThroughShell_LogHasCommandHeaderAndOutput()
    {
        await new LocalRunroot().RunAsync(new RunrootRequest { Command = "echo out && echo err >&2 && test -d /", Arch = "x86_64", LogFile = Log });
        var text = File.ReadAllText(Log);
        Assert.StartsWith("COMMAND: echo out && echo err >&2 && test -d /\n-----------------\n", text, StringComparison.Ordinal);
        Assert.Contains("out\n", text, StringComparison.Ordinal);
        Assert.Contains("err\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_Failure_IsPungi5152QuotingTheLastLinesOfTheLog()
    {
        var e = await Assert.ThrowsAsync<PungiException>(() => new LocalRunroot().RunAsync(new RunrootRequest
        {
            Command = "for i in $(seq 1 40); do echo line$i; done; echo 'Dependency check failed' >&2; exit 7",
            Arch = "x86_64",
            LogFile = Log,
        }));
        Assert.Equal(ErrorCodes.RunrootCommandFailed, e.Code);
        Assert.Contains("exited with 7", e.Message, StringComparison.Ordinal);
        Assert.Contains(Log, e.Message, StringComparison.Ordinal);
        Assert.Contains("line40\nDependency check failed", e.Message, StringComparison.Ordinal);
        Assert.Contains("line22\n", e.Message, StringComparison.Ordinal);   // 20 lines: line22..line40 + the error line
        Assert.DoesNotContain("line21\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_Timeout_KillsTheProcessTree_IsPungi5153()
    {
        var marker = Path.Combine(_dir, "survived");
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<PungiException>(() => new LocalRunroot().RunAsync(new RunrootRequest
        {
            Command = $"echo started; (sleep 3; touch {marker}) & sleep 30",
            Arch = "x86_64",
            LogFile = Log,
            Timeout = TimeSpan.FromMilliseconds(500),
        }));
        Assert.Equal(ErrorCodes.RunrootTimeout, e.Code);
        Assert.Contains("started", e.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
        await Task.Delay(3500);
        Assert.False(File.Exists(marker), "a child of the killed command kept running");
    }

    [Fact]
    public async Task Local_Cancel_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new LocalRunroot().RunAsync(new RunrootRequest { Command = "sleep 30", Arch = "x86_64", LogFile = Log }, cts.Token));
    }

    [Theory]
    // runroot_method string applies to every phase
    [InlineData("buildinstall", "koji", "", "", "", "koji")]
    // neither: local, or koji when runroot_tag is set
    [InlineData("buildinstall", "", "", "", "", "local")]
    [InlineData("buildinstall", "", "", "", "f41-build", "koji")]
    // global_runroot_method when runroot_method is unset
    [InlineData("createiso", "", "", "koji", "", "koji")]
    // dict: the phase's entry, else global_runroot_method, else local
    [InlineData("buildinstall", "", "buildinstall=koji", "", "", "koji")]
    [InlineData("createiso", "", "buildinstall=koji", "", "", "local")]
    [InlineData("createiso", "", "buildinstall=koji", "koji", "", "koji")]
    public void Method_ResolvedAsUpstream(string phase, string method, string perPhase, string global, string tag, string expected)
    {
        var dict = perPhase.Length == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { [perPhase.Split('=')[0]] = perPhase.Split('=')[1] };
        Assert.Equal(expected, RunrootMethod.Resolve(phase, method, dict, global, tag));
    }

    [Fact]
    public void Method_OpensshAndUnknown_AreCodedErrors()
    {
        Assert.Equal(ErrorCodes.RunrootMethodUnsupported, Assert.Throws<PungiException>(() => RunrootMethod.Resolve("buildinstall", "openssh", new Dictionary<string, string>(), null, null)).Code);
        Assert.Equal(ErrorCodes.RunrootMethodUnknown, Assert.Throws<PungiException>(() => RunrootMethod.Resolve("buildinstall", "ssh", new Dictionary<string, string>(), null, null)).Code);
    }

    [Fact]
    public void Koji_CommandWrappedAsUpstream_WithChownKeepingTheExitCode()
    {
        using var client = new KojiClient(new Uri("http://127.0.0.1:9/kojihub"));
        var runroot = new KojiRunroot(client, "f41-build") { Uid = 1000 };
        Assert.Equal(
            "rm -f /var/lib/rpm/__db*; rm -rf /var/cache/yum/*; set -x; lorax --x /o ; EXIT_CODE=$? ; chmod -R a+r /o '/l d' ; chown -R 1000 /o '/l d' ; exit $EXIT_CODE",
            runroot.WrapCommand(new RunrootRequest { Command = "lorax --x /o", Arch = "x86_64", LogFile = Log, ChownPaths = ["/o", "/l d"] }));
        Assert.Equal("rm -f /var/lib/rpm/__db*; rm -rf /var/cache/yum/*; set -x; true",
            runroot.WrapCommand(new RunrootRequest { Command = "true", Arch = "x86_64", LogFile = Log }));
    }

    private static KojiClientOptions Options => new() { MaxRetries = 1, RetryInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Koji_CallsHubRunrootWithTheCliArguments_RecordsTheTask_AppendsRunrootLog()
    {
        await using var hub = new KojiHubSimulator();
        hub.TaskPlanner = t =>
        {
            t.Duration = TimeSpan.FromMilliseconds(150);
            t.Outputs["runroot.log"] = Encoding.UTF8.GetBytes("+ lorax --product=Fedora\nlorax done\n");
        };
        using var client = new KojiClient(hub.HubUrl, Options) { TaskLog = new KojiTaskLog(Path.Combine(_dir, "logs", "global", "koji-tasks")) };
        await client.PasswordLoginAsync("kojiadmin", "secret");
        var runroot = new KojiRunroot(client, "f41-build") { Channel = "image", Uid = 1000, PollInterval = TimeSpan.FromMilliseconds(30) };

        await runroot.RunAsync(new RunrootRequest
        {
            Command = "lorax /o",
            Arch = "x86_64",
            LogFile = Log,
            Packages = ["lorax", "lorax-templates-rhel"],
            Mounts = ["/mnt/compose/F-41"],
            Weight = 3.5,
        });

        var task = Assert.Single(hub.Tasks.Values, t => t.Method == "runroot");
        // runroot(tagInfo, arch, command, **opts) as the koji CLI plugin sends it with --use-shell --new-chroot
        Assert.Equal("f41-build", task.Request[0]);
        Assert.Equal("x86_64", task.Request[1]);
        Assert.Equal("rm -f /var/lib/rpm/__db*; rm -rf /var/cache/yum/*; set -x; lorax /o", task.Request[2]);
        var kw = Assert.IsType<Dictionary<string, object?>>(task.Request[3]);
        Assert.Equal("image", kw["channel"]);
        Assert.Equal(new List<object?> { "lorax", "lorax-templates-rhel" }, kw["packages"]);
        Assert.Equal(new List<object?> { "/mnt/compose/F-41" }, kw["mounts"]);
        Assert.Null(kw["repo_id"]);
        Assert.Equal(false, kw["skip_setarch"]);
        Assert.Equal(3.5, kw["weight"]);
        Assert.Equal(true, kw["new_chroot"]);
        Assert.Equal("x86_64", task.Arch);
        Assert.True(File.Exists(Path.Combine(_dir, "logs", "global", "koji-tasks", task.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var log = File.ReadAllText(Log);
        Assert.Contains("lorax done\n", log, StringComparison.Ordinal);
        Assert.Contains($"Task {task.Id} CLOSED", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Koji_FailedTask_IsPungi5156QuotingTheRunrootLog()
    {
        await using var hub = new KojiHubSimulator();
        hub.TaskPlanner = t =>
        {
            t.Duration = TimeSpan.FromMilliseconds(100);
            t.FinalState = KojiTaskState.Failed;
            t.FaultString = "BuildError: error running command";
            t.Outputs["runroot.log"] = Encoding.UTF8.GetBytes("+ lorax\nDependency check failed: nothing provides anaconda-core\n");
        };
        using var client = new KojiClient(hub.HubUrl, Options);
        await client.PasswordLoginAsync("kojiadmin", "secret");
        var e = await Assert.ThrowsAsync<PungiException>(() => new KojiRunroot(client, "f41-build") { PollInterval = TimeSpan.FromMilliseconds(30) }
            .RunAsync(new RunrootRequest { Command = "lorax /o", Arch = "aarch64", LogFile = Log }));
        Assert.Equal(ErrorCodes.RunrootKojiTaskFailed, e.Code);
        Assert.Contains("FAILED", e.Message, StringComparison.Ordinal);
        Assert.Contains("Dependency check failed: nothing provides anaconda-core", e.Message, StringComparison.Ordinal);
        Assert.Contains("BuildError: error running command", e.Message, StringComparison.Ordinal);
    }
}
