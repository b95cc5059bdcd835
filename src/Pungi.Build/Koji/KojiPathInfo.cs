using System.Globalization;

namespace Pungi.Build.Koji;

/// <summary>
/// koji.PathInfo: where Koji keeps files, below <c>topdir</c> (a local mount such as /mnt/koji) or <c>topurl</c>
/// (the same tree over HTTP). Examples from the recorded hub (fixtures/koji-transcripts/topdir-layout.txt):
/// <c>packages/hello/1.1/1.fc41/x86_64/hello-1.1-1.fc41.x86_64.rpm</c> (unsigned),
/// <c>packages/hello/1.1/1.fc41/data/signed/95c92df2/x86_64/hello-1.1-1.fc41.x86_64.rpm</c> (signed copy),
/// <c>work/tasks/6/6/hello-1.1-1.fc41.x86_64.rpm</c> (task output).
/// </summary>
public sealed class KojiPathInfo(string topDir)
{
    public string TopDir { get; } = topDir.TrimEnd('/');

    /// <summary><c>&lt;topdir&gt;</c>, or <c>&lt;topdir&gt;/vol/&lt;volume&gt;</c> for a non-default volume.</summary>
    public string VolumeDir(string? volume)
        => string.IsNullOrEmpty(volume) || volume == "DEFAULT" ? TopDir : $"{TopDir}/vol/{volume}";

    /// <summary><c>&lt;volume dir&gt;/packages/&lt;name&gt;/&lt;version&gt;/&lt;release&gt;</c>.</summary>
    public string Build(string name, string version, string release, string? volume = null)
        => $"{VolumeDir(volume)}/packages/{name}/{version}/{release}";

    public string Build(KojiBuild b) => Build(b.Name, b.Version, b.Release, b.VolumeName);

    /// <summary>Relative to the build dir: <c>&lt;arch&gt;/&lt;n&gt;-&lt;v&gt;-&lt;r&gt;.&lt;arch&gt;.rpm</c>.</summary>
    public static string Rpm(KojiRpm rpm) => $"{rpm.Arch}/{rpm.Nvra}.rpm";

    /// <summary>Relative to the build dir: <c>data/signed/&lt;sigkey&gt;/&lt;arch&gt;/&lt;nvra&gt;.rpm</c>.</summary>
    public static string Signed(KojiRpm rpm, string sigkey) => $"data/signed/{sigkey}/{rpm.Arch}/{rpm.Nvra}.rpm";

    /// <summary>Full path of the unsigned RPM of <paramref name="rpm"/> in <paramref name="build"/>.</summary>
    public string UnsignedPath(KojiBuild build, KojiRpm rpm) => $"{Build(build)}/{Rpm(rpm)}";

    /// <summary>Full path of the copy signed with <paramref name="sigkey"/> (lower-cased, as Pungi does).</summary>
    public string SignedPath(KojiBuild build, KojiRpm rpm, string sigkey) => $"{Build(build)}/{Signed(rpm, sigkey.ToLowerInvariant())}";

    /// <summary><c>&lt;build dir&gt;/images</c>.</summary>
    public string ImageBuild(KojiBuild b) => Build(b) + "/images";

    /// <summary>The archive directory of a btype: maven, win, images, else <c>files/&lt;btype&gt;</c>.</summary>
    public string TypeDir(KojiBuild b, string btype) => Build(b) + "/" + btype switch
    {
        "maven" => "maven",
        "win" => "win",
        "image" => "images",
        _ => "files/" + btype,
    };

    public string Work(string? volume = null) => VolumeDir(volume) + "/work";

    /// <summary><c>tasks/&lt;id % 10000&gt;/&lt;id&gt;</c>, relative to <see cref="Work"/>.</summary>
    public static string TaskRelPath(int taskId)
        => string.Create(CultureInfo.InvariantCulture, $"tasks/{taskId % 10000}/{taskId}");

    public string Task(int taskId, string? volume = null) => Work(volume) + "/" + TaskRelPath(taskId);

    public string Scratch() => TopDir + "/scratch";
}
