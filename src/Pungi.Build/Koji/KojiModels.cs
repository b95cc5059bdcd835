namespace Pungi.Build.Koji;

using static KojiValue;

/// <summary>Koji task states (koji.TASK_STATES).</summary>
public enum KojiTaskState
{
    Free = 0,
    Open = 1,
    Closed = 2,
    Canceled = 3,
    Assigned = 4,
    Failed = 5,
}

/// <summary>Koji build states (koji.BUILD_STATES).</summary>
public enum KojiBuildState
{
    Building = 0,
    Complete = 1,
    Deleted = 2,
    Failed = 3,
    Canceled = 4,
}

/// <summary>A Koji event (<c>getLastEvent</c>/<c>getEvent</c>): saved whole to <c>work/global/koji-event</c>.</summary>
public sealed record KojiEvent(long Id, double Ts, IReadOnlyDictionary<string, object?> Raw)
{
    public static KojiEvent From(Dictionary<string, object?> d) => new(Long(d, "id"), Double(d, "ts") ?? 0, d);

    /// <summary><c>{"id": 24, "ts": 1795798403.932054}</c> as Pungi's json.dump writes it.</summary>
    public string ToJson() => "{\"id\": " + Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", \"ts\": " + XmlRpcWriter.PythonRepr(Ts) + "}";
}

/// <summary>A tag (<c>getTag</c>): <c>arches</c> is Koji's space-separated string.</summary>
public sealed record KojiTag(int Id, string Name, string? Arches, bool Locked, IReadOnlyDictionary<string, object?> Extra, IReadOnlyDictionary<string, object?> Raw)
{
    public IReadOnlyList<string> ArchList => (Arches ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static KojiTag From(Dictionary<string, object?> d)
        => new(Int(d, "id"), Str(d, "name") ?? "", Str(d, "arches"), Bool(d, "locked"), Dict(d, "extra") ?? new Dictionary<string, object?>(), d);
}

/// <summary>An RPM row (<c>listTaggedRPMS</c>, <c>listBuildRPMs</c>, <c>listRPMs</c>, <c>getRPM</c>).</summary>
public sealed record KojiRpm(long Id, string Name, string Version, string Release, int? Epoch, string Arch, long BuildId,
    long? Size, string? PayloadHash, IReadOnlyDictionary<string, object?> Raw)
{
    public string Nvr => $"{Name}-{Version}-{Release}";
    public string Nvra => $"{Name}-{Version}-{Release}.{Arch}";
    public string FileName => Nvra + ".rpm";

    public static KojiRpm From(Dictionary<string, object?> d)
        => new(Long(d, "id"), Str(d, "name") ?? "", Str(d, "version") ?? "", Str(d, "release") ?? "", IntOrNull(d, "epoch"),
            Str(d, "arch") ?? "", LongOrNull(d, "build_id") ?? 0, LongOrNull(d, "size"), Str(d, "payloadhash"), d);
}

/// <summary>A build (<c>getBuild</c>, <c>listTagged</c>, the builds half of <c>listTaggedRPMS</c>).</summary>
public sealed record KojiBuild(long Id, string Name, string Version, string Release, int? Epoch, string? Nvr, string? VolumeName,
    KojiBuildState? State, double? CompletionTs, long? TaskId, IReadOnlyDictionary<string, object?> Raw)
{
    public static KojiBuild From(Dictionary<string, object?> d)
        => new(LongOrNull(d, "build_id") ?? Long(d, "id"), Str(d, "name") ?? Str(d, "package_name") ?? "", Str(d, "version") ?? "",
            Str(d, "release") ?? "", IntOrNull(d, "epoch"), Str(d, "nvr"), Str(d, "volume_name"),
            IntOrNull(d, "state") is { } s ? (KojiBuildState)s : null, Double(d, "completion_ts"), LongOrNull(d, "task_id"), d);

    public string? TagName => Str(Raw, "tag_name");
}

/// <summary><c>listTaggedRPMS</c>'s pair: the RPMs and the builds they belong to.</summary>
public sealed record KojiTaggedRpms(IReadOnlyList<KojiRpm> Rpms, IReadOnlyList<KojiBuild> Builds);

/// <summary>One link of <c>getFullInheritance</c>.</summary>
public sealed record KojiInheritanceLink(int ParentId, string Name, int CurrDepth, IReadOnlyDictionary<string, object?> Raw)
{
    public static KojiInheritanceLink From(Dictionary<string, object?> d)
        => new(Int(d, "parent_id"), Str(d, "name") ?? "", IntOrNull(d, "currdepth") ?? 0, d);
}

/// <summary>A task (<c>getTaskInfo</c>, <c>getTaskChildren</c>).</summary>
public sealed record KojiTaskInfo(int Id, string Method, KojiTaskState State, string? Arch, string? Label, int? Parent,
    IReadOnlyList<object?>? Request, IReadOnlyDictionary<string, object?> Raw)
{
    public bool IsFinished => State is KojiTaskState.Closed or KojiTaskState.Canceled or KojiTaskState.Failed;

    /// <summary><c>request[-1].scratch</c>, which Pungi reads to tell scratch image tasks.</summary>
    public bool Scratch => Request is { Count: > 0 } r && r[^1] is Dictionary<string, object?> opts && Bool(opts, "scratch");

    public static KojiTaskInfo From(Dictionary<string, object?> d)
        => new(Int(d, "id"), Str(d, "method") ?? "", (KojiTaskState)Int(d, "state"), Str(d, "arch"), Str(d, "label"),
            IntOrNull(d, "parent"), Get(d, "request") as List<object?>, d);
}

/// <summary>An archive (<c>listArchives</c>): image files, modulemd files, container images.</summary>
public sealed record KojiArchive(long Id, long BuildId, string FileName, string? BType, string? TypeName, long? Size,
    string? Checksum, int? ChecksumType, IReadOnlyDictionary<string, object?> Raw)
{
    /// <summary>koji.CHECKSUM_TYPES: 0 md5, 1 sha1, 2 sha256.</summary>
    public string? ChecksumAlgorithm => ChecksumType switch { 0 => "md5", 1 => "sha1", 2 => "sha256", _ => null };

    /// <summary><c>extra.image.arch</c>, which the osbuild phase reads.</summary>
    public string? ImageArch => Dict(Raw, "extra") is { } e && Dict(e, "image") is { } i ? Str(i, "arch") : null;

    public static KojiArchive From(Dictionary<string, object?> d)
        => new(Long(d, "id"), LongOrNull(d, "build_id") ?? 0, Str(d, "filename") ?? "", Str(d, "btype"), Str(d, "type_name"),
            LongOrNull(d, "size"), Str(d, "checksum"), IntOrNull(d, "checksum_type"), d);
}
