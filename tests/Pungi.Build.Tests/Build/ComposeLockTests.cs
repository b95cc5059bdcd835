namespace Pungi.Build.Tests.Build;

/// <summary>Two builds of the same composeproj at once: the second refuses with a clear message, nothing is corrupted.</summary>
[Collection("spawned builds")]
public sealed class ComposeLockTests
{
    [Fact]
    public async Task SecondConcurrentBuild_RefusesTheLock_AndTheFirstFinishes()
    {
        using var p = SampleCompose.Create();
        // The first build lingers in its variant.arch phases long enough for the second to start.
        var hook = p.Write("slow.targets", """
            <Project>
              <PropertyGroup><PungiVariantArchTargets>LinkPackages;Createrepo;_TestSlow</PungiVariantArchTargets></PropertyGroup>
              <Target Name="_TestSlow" Condition="'$(Variant)' == 'Server' and '$(Arch)' == 'x86_64'"><Exec Command="sleep 8" /></Target>
            </Project>
            """);
        var first = Task.Run(() => p.Build("-m:1", $"-p:CustomBeforePungiBuildTargets={hook}"));
        var status = Path.Combine(SampleCompose.TopDir(p), "STATUS");
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!(File.Exists(status) && File.ReadAllText(status).Trim() == "STARTED") && DateTime.UtcNow < deadline && !first.IsCompleted)
            await Task.Delay(100);
        Assert.False(first.IsCompleted, "the first build ended before the second could start");

        var second = p.Build();
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("error PUNGI7008: Another build is composing", second.Output);

        var done = await first;
        Assert.True(done.ExitCode == 0, done.Describe());
        Assert.Equal("FINISHED", File.ReadAllText(status).Trim());
        // The lock died with the first build: a later build runs normally.
        Assert.Equal(0, p.Build().ExitCode);
    }
}
