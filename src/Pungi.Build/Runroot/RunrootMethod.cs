using Pungi.Build.Diagnostics;

namespace Pungi.Build.Runroot;

/// <summary>
/// Which runroot a phase uses (spec §8.4, Appendix A.3): <c>runroot_method</c> as a string applies to every phase; as
/// a dict <c>{phase: method}</c> the phase's entry, else <c>global_runroot_method</c>; with neither, <c>koji</c> when
/// <c>runroot_tag</c> is set and <c>local</c> otherwise.
/// </summary>
public static class RunrootMethod
{
    public const string Local = "local";
    public const string Koji = "koji";
    public const string OpenSsh = "openssh";

    public static string Resolve(string phase, string? runrootMethod, IReadOnlyDictionary<string, string> perPhase, string? globalMethod, string? runrootTag)
    {
        string? method = perPhase.Count > 0
            ? perPhase.TryGetValue(phase, out var m) ? m : Blank(globalMethod)
            : Blank(runrootMethod) ?? Blank(globalMethod);
        method ??= Blank(runrootTag) is null ? Local : Koji;
        method = method.Trim().ToLowerInvariant();
        return method switch
        {
            Local or Koji => method,
            OpenSsh => throw new PungiException(ErrorCodes.RunrootMethodUnsupported,
                $"RunrootMethod 'openssh' (for {phase}) is not supported by Pungi.Build; use local or koji."),
            _ => throw new PungiException(ErrorCodes.RunrootMethodUnknown,
                $"RunrootMethod '{method}' (for {phase}) is not one of local, koji, openssh."),
        };
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
